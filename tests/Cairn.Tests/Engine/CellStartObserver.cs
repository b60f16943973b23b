using Cairn.Engine.Observing;
using Cairn.Engine.Runs;
using Cairn.Engine.Scan;

namespace Cairn.Tests.Engine;

/// <summary>Calls back when a cell's task is about to start, on the cell's own thread: for a test to act at that moment, not after a guessed delay.</summary>
internal sealed class CellStartObserver(Action<string, string?> started) : IRunObserver
{
    public void OnRunStarted(RunStarted run)
    {
    }

    public void OnStageDecided(string runId, string stage, IReadOnlyList<CellDecision> decisions)
    {
    }

    public void OnCellStarted(string runId, string stage, string? partition) => started(stage, partition);

    public void OnCellFinished(CellFinished cell)
    {
    }

    public void OnStageFinished(string runId, StageResult result)
    {
    }

    public void OnRunFinished(RunFinished run)
    {
    }
}
