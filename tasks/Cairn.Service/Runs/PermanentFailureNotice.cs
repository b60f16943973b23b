using Cairn.Engine.Notifications;
using Cairn.Engine.Observing;
using Cairn.Service.Pipelines;
using Microsoft.Extensions.Logging;

namespace Cairn.Service.Runs;

/// <summary>Sends <c>run_failed_permanently</c> to the pipeline's notifiers when the last attempt of a run failed.</summary>
internal sealed class PermanentFailureNotice
{
    private readonly ILogger<PermanentFailureNotice> _log;

    public PermanentFailureNotice(ILogger<PermanentFailureNotice> log) => _log = log;

    public void Send(ServedPipeline pipeline, IReadOnlyList<QueuedRun> attempts)
    {
        var last = attempts[^1];
        var first = attempts[0];
        var problems = new List<string>();
        var observers = Notifiers.Create(pipeline.Definition, PipelineCatalog.Host(), problems);
        foreach (var problem in problems)
        {
            _log.LogWarning("run_failed_permanently not sent: {Problem}", problem);
        }

        var notification = new NotificationEvent
        {
            Event = NotificationEvents.RunFailedPermanently,
            RunId = last.Id,
            Pipeline = pipeline.Name,
            Environment = pipeline.RunArguments.GetValueOrDefault("env") ?? (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase) ? "ci" : "local"),
            Target = last.Target,
            Status = "failed",
            Cause = last.Failure,
            StartedAt = first.StartedAt ?? first.CreatedAt,
            FinishedAt = last.FinishedAt,
            Trigger = last.Trigger,
            Attempts = attempts.Select(a => a.Attempt).Distinct().Count(),
        };
        foreach (var notifier in observers.OfType<LifecycleNotifier>())
        {
            notifier.Tell(notification);
        }

        // Notifiers deliver on their queue's thread; disposed before it is done, the queue drops what it holds.
        foreach (var queue in observers.OfType<NotificationQueue>())
        {
            try
            {
                queue.Finish();
            }
            catch (AggregateException e) when (e.InnerExceptions.All(i => i is NotificationFailedException))
            {
                foreach (var failure in e.InnerExceptions)
                {
                    _log.LogWarning("{Message}", failure.Message);
                }
            }
        }

        foreach (var disposable in observers.OfType<IDisposable>())
        {
            disposable.Dispose();
        }

        _log.LogError("run {Run} of {Pipeline} ({Trigger}) failed for good after {Attempts} attempt(s): {Failure}", first.Id, pipeline.Name, last.Trigger, notification.Attempts, last.Failure);
    }
}
