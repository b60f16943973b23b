using Cairn.Engine.Observing;
using Cairn.Engine.Runs;
using Cairn.Engine.Scan;
using Cairn.Service.Api;

namespace Cairn.Service.Runs;

/// <summary>A run's progress as events on the service's stream: stages starting, decided and finished, and each cell that ran.</summary>
internal sealed class ProgressEvents : IRunObserver
{
    private readonly EventHub _hub;
    private readonly string _pipeline;

    public ProgressEvents(EventHub hub, string pipeline)
    {
        _hub = hub;
        _pipeline = pipeline;
    }

    /// <summary>The run's outcome as the engine recorded it (succeeded, failed, cancelled), once it finished.</summary>
    public RunFinished? Finished { get; private set; }

    public void OnRunStarted(RunStarted run) =>
        _hub.Publish("run", new { id = run.RunId, pipeline = _pipeline, status = "running", target = run.Target, partitions = run.Partitions.Count, startedAt = run.StartedAt });

    public void OnStageStarted(string runId, string stage) =>
        _hub.Publish("stage", new { runId, pipeline = _pipeline, stage, state = "running" });

    public void OnStageDecided(string runId, string stage, IReadOnlyList<CellDecision> decisions) =>
        _hub.Publish("stage", new { runId, pipeline = _pipeline, stage, state = "decided", cells = decisions.Count, toRun = decisions.Count(d => d.Decision.Run) });

    public void OnCellFinished(CellFinished cell) =>
        _hub.Publish("cell", new
        {
            runId = cell.RunId,
            pipeline = _pipeline,
            stage = cell.Stage,
            partition = cell.Partition,
            attempt = cell.Attempt,
            status = cell.Succeeded ? "succeeded" : cell.Held ? "held" : "failed",
            durationMs = Math.Round((cell.FinishedAt - cell.StartedAt).TotalMilliseconds, 1),
            failure = cell.Failure,
        });

    public void OnStageFinished(string runId, StageResult result) =>
        _hub.Publish("stage", new
        {
            runId,
            pipeline = _pipeline,
            stage = result.Stage,
            state = result.Failed > 0 ? "failed" : result.Ran > 0 ? "ran" : "skipped",
            cells = result.Cells,
            ran = result.Ran,
            skipped = result.Skipped,
            failed = result.Failed,
            durationMs = Math.Round(result.Duration.TotalMilliseconds, 1),
        });

    public void OnRunFinished(RunFinished run) => Finished = run;
}
