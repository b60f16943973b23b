using Cairn.Engine.Configuration;
using Cairn.Engine.Observing;
using Cairn.Engine.Runs;
using Cairn.Engine.Scan;

namespace Cairn.Engine.Notifications;

/// <summary>
/// Turns a run's lifecycle into the events a notifier sends (run started, succeeded, failed, cancelled; stage failed; review requested)
/// and hands those its definition asks for to <see cref="Deliver"/>, on the run's <see cref="NotificationQueue"/>: a cell
/// that fails never waits for its <c>stage_failed</c> to be delivered. A delivery that fails throws
/// <see cref="NotificationFailedException"/>, which the run prints as a warning at its end.
/// </summary>
internal abstract class LifecycleNotifier : IRunObserver
{
    private readonly IReadOnlySet<string> _events;
    private readonly NotificationQueue _queue;
    private RunStarted? _run;
    private CellFinished? _failedCell;

    protected LifecycleNotifier(NotifierDefinition definition, NotificationQueue queue)
    {
        Definition = definition;
        _events = definition.Events;
        _queue = queue;
    }

    protected NotifierDefinition Definition { get; }

    public void OnRunStarted(RunStarted run)
    {
        _run = run;
        Send(new NotificationEvent
        {
            Event = NotificationEvents.RunStarted,
            RunId = run.RunId,
            Pipeline = run.Pipeline,
            Environment = run.Environment,
            Target = run.Target,
            Status = "running",
            StartedAt = run.StartedAt,
        });
    }

    public void OnStageDecided(string runId, string stage, IReadOnlyList<CellDecision> decisions)
    {
    }

    public void OnCellFinished(CellFinished cell)
    {
        // A cell held for approval did not fail: its review request is the notification (OnReviewRequested).
        if (cell.Succeeded || cell.Held || _run is null)
        {
            return;
        }

        _failedCell = cell;
        Send(new NotificationEvent
        {
            Event = NotificationEvents.StageFailed,
            RunId = cell.RunId,
            Pipeline = _run.Pipeline,
            Environment = _run.Environment,
            Target = _run.Target,
            Status = "failed",
            Stage = cell.Stage,
            Partition = cell.Partition,
            Cause = cell.Failure,
            StartedAt = cell.StartedAt,
            FinishedAt = cell.FinishedAt,
        });
    }

    public void OnReviewRequested(ReviewRequested review)
    {
        if (_run is null)
        {
            return;
        }

        Send(new NotificationEvent
        {
            Event = NotificationEvents.ReviewRequested,
            RunId = review.RunId,
            Pipeline = _run.Pipeline,
            Environment = _run.Environment,
            Target = _run.Target,
            Status = "running",
            Stage = review.Stage,
            Partition = review.Partition,
            Review = review.ReviewId,
            Breaches = review.Breaches,
            StartedAt = review.RequestedAt,
        });
    }

    public void OnStageFinished(string runId, StageResult result)
    {
    }

    public void OnRunFinished(RunFinished run)
    {
        if (_run is null)
        {
            return;
        }

        Send(new NotificationEvent
        {
            Event = "run_" + run.Status,
            RunId = run.RunId,
            Pipeline = _run.Pipeline,
            Environment = _run.Environment,
            Target = _run.Target,
            Status = run.Status,
            Stage = _failedCell?.Stage,
            Partition = _failedCell?.Partition,
            Cause = run.Failure,
            StartedAt = run.StartedAt,
            FinishedAt = run.FinishedAt,
            Stages = run.Stages.Select(s => new NotifiedStage(s.Stage, s.Cells, s.Ran, s.Skipped, s.Failed, Math.Round(s.Duration.TotalSeconds, 3))).ToList(),
        });
    }

    /// <summary>
    /// Sends an event that is not one run's lifecycle (the service's <c>run_failed_permanently</c>), when the
    /// notifier's <c>events</c> ask for it, on its queue: <see cref="NotificationQueue.Finish"/> waits for the delivery
    /// and reports it if it could not be made.
    /// </summary>
    public void Tell(NotificationEvent notification) => Send(notification);

    /// <summary>Sends one event; throws <see cref="NotificationFailedException"/> when it could not.</summary>
    protected abstract void Deliver(NotificationEvent notification);

    private void Send(NotificationEvent notification)
    {
        if (_events.Contains(notification.Event))
        {
            _queue.Post(GetType().Name, notification.Event, () => Deliver(notification));
        }
    }
}
