using Cairn.Engine.Observing;
using Cairn.Engine.Runs;
using Cairn.Engine.Scan;

namespace Cairn.Tests.Engine;

/// <summary>Records the lifecycle events a run reports, in order; optionally throws from each, to prove that cannot fail a run.</summary>
internal sealed class RecordingObserver(bool throwEverywhere = false) : IRunObserver
{
    public List<string> Events { get; } = [];

    public void OnRunStarted(RunStarted run) => Record($"run started {run.Partitions.Count}");

    public void OnStageDecided(string runId, string stage, IReadOnlyList<CellDecision> decisions) =>
        Record($"decided {stage} run {decisions.Count(d => d.Decision.Run)} skip {decisions.Count(d => !d.Decision.Run)}");

    public void OnCellFinished(CellFinished cell) => Record($"cell {cell.Stage} {cell.Partition ?? "-"} {(cell.Succeeded ? "ok" : "failed")}");

    public void OnStageFinished(string runId, StageResult result) => Record($"stage {result.Stage} ran {result.Ran} failed {result.Failed}");

    public void OnRunFinished(RunFinished run) => Record($"run {run.Status}");

    private void Record(string text)
    {
        lock (Events)
        {
            Events.Add(text);
        }

        if (throwEverywhere)
        {
            throw new InvalidOperationException("observer broke");
        }
    }
}
