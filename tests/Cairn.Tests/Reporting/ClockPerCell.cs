using Cairn.Engine.Observing;
using Cairn.Engine.Runs;
using Cairn.Engine.Scan;

namespace Cairn.Tests.Reporting;

/// <summary>An observer that moves a manual clock on by a fixed step each time a cell finishes, as if each took that long.</summary>
internal sealed class ClockPerCell(ManualTime time, TimeSpan step) : IRunObserver
{
    public void OnRunStarted(RunStarted run)
    {
    }

    public void OnStageDecided(string runId, string stage, IReadOnlyList<CellDecision> decisions)
    {
    }

    public void OnCellFinished(CellFinished cell) => time.Advance(step);

    public void OnStageFinished(string runId, StageResult result)
    {
    }

    public void OnRunFinished(RunFinished run)
    {
    }
}
