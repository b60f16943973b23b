using System.Globalization;

namespace Cairn.Engine.Runs;

internal sealed partial class PipelineRun
{
    /// <summary>
    /// The <c>{run}</c> parameter for a stage about to run: every stage of the pipeline as <c>Stage=state</c>, in
    /// pipeline order. A finished stage is <c>ran R/C</c>, <c>skipped 0/C</c> or <c>failed R/C</c> (R cells ran of C);
    /// the stage itself is <c>running</c>; the rest are <c>pending</c>.
    /// </summary>
    private List<string> StatesSoFar(string current)
    {
        var states = new List<string>();
        foreach (var stage in Plan.Stages)
        {
            var result = _results.FirstOrDefault(r => r.Stage == stage.Name);
            var state = result is not null
                ? string.Create(CultureInfo.InvariantCulture, $"{(result.Failed > 0 ? "failed" : result.Ran > 0 ? "ran" : "skipped")} {result.Ran}/{result.Cells}")
                : stage.Name == current ? "running" : "pending";
            states.Add($"{stage.Name}={state}");
        }

        return states;
    }
}
