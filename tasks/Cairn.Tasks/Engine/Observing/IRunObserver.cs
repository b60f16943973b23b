using Cairn.Engine.Runs;
using Cairn.Engine.Scan;

namespace Cairn.Engine.Observing;

/// <summary>
/// Hears a run's lifecycle as it happens (run log, notifications, CI annotations). Called on the run's thread or,
/// for cells, from the thread that ran the cell; an observer that throws is reported as a warning and never fails
/// the run.
/// </summary>
internal interface IRunObserver
{
    void OnRunStarted(RunStarted run);

    /// <summary>A stage begins, before any of its cells is decided or a line of it is printed.</summary>
    void OnStageStarted(string runId, string stage)
    {
    }

    /// <summary>Every cell of a stage was decided (run or skip, with the reason), before any of them runs.</summary>
    void OnStageDecided(string runId, string stage, IReadOnlyList<CellDecision> decisions);

    /// <summary>A cell's task is about to run for the first time in this run, its staging ready.</summary>
    void OnCellStarted(string runId, string stage, string? partition)
    {
    }

    void OnCellFinished(CellFinished cell);

    /// <summary>A cell stopped at its gate and a new review of it was filed (before the cell's attempt ends).</summary>
    void OnReviewRequested(ReviewRequested review)
    {
    }

    void OnStageFinished(string runId, StageResult result);

    void OnRunFinished(RunFinished run);
}
