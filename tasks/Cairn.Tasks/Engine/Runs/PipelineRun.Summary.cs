using System.Globalization;
using System.Text;

namespace Cairn.Engine.Runs;

internal sealed partial class PipelineRun
{
    /// <summary>Prints the run's stage table and its outcome, and closes the run log.</summary>
    public void Finish(Exception? failure)
    {
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Cairn run {RunId} ({Options.Environment}, {Options.Partitions.Count} {(Options.Partitions.Count == 1 ? "partition" : "partitions")})");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"Stage",-12} {"Cells",7} {"Ran",7} {"Skipped",8} {"Failed",7} {"Time",9}");
        foreach (var result in _results)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {result.Stage,-12} {result.Cells,7} {result.Ran,7} {result.Skipped,8} {result.Failed,7} {result.Duration.TotalSeconds,8:0.00}s");
        }

        var outcome = failure is null ? "succeeded" : "failed: " + failure.Message;
        text.AppendLine(CultureInfo.InvariantCulture, $"  {outcome} in {_clock.Elapsed.TotalSeconds:0.00} s; run log {Layout.Relative(RunLogPath)}");
        _console.Line(text.ToString().TrimEnd());
        _console.Flush();
        var status = failure switch
        {
            null => "succeeded",
            OperationCanceledException => "cancelled",
            _ => "failed",
        };
        Notify(o => o.OnRunFinished(new Observing.RunFinished(RunId, status, failure?.Message, StartedAt, DateTimeOffset.UtcNow, _results)));
    }
}
