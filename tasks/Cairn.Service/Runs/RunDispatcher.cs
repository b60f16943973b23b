using System.Globalization;
using Cairn.Engine.Configuration;
using Cairn.Service.Hosting;
using Cairn.Service.Pipelines;
using Cairn.Service.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Cairn.Service.Runs;

/// <summary>
/// Runs the queue, one run per pipeline (one per workspace) at a time, oldest first. A failed run is retried as a
/// whole with exponential backoff (Polly), each attempt a queued row of its own so a restart resumes the retries; when
/// the last attempt fails, <c>run_failed_permanently</c> goes out. A run's end starts the pipelines that run after it.
/// At start, runs a dead service left running are recorded as crashed and queued again.
/// </summary>
internal sealed class RunDispatcher : BackgroundService
{
    private static readonly TimeSpan BusyPoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(5);
    private readonly ServiceState _state;
    private readonly RunStore _store;
    private readonly RunQueue _queue;
    private readonly PipelineRunner _runner;
    private readonly PermanentFailureNotice _notice;
    private readonly ILogger<RunDispatcher> _log;
    private readonly TimeProvider _time;

    public RunDispatcher(ServiceState state, RunStore store, RunQueue queue, PipelineRunner runner, PermanentFailureNotice notice, ILogger<RunDispatcher> log, TimeProvider time)
    {
        _state = state;
        _store = store;
        _queue = queue;
        _runner = runner;
        _notice = notice;
        _log = log;
        _time = time;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (crashed, again) in _store.RecoverInterrupted())
        {
            _log.LogWarning("run {Run} of {Pipeline} ({Trigger}) was running when the service stopped; recorded as crashed, its partitions ({Partitions}) queued again as run {Again}", crashed.Id, crashed.Pipeline, crashed.Trigger, crashed.Partitions, again.Id);
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var workers = _state.Pipelines.Select(p => Task.Run(() => Work(p.Name, stoppingToken), CancellationToken.None)).ToList();
        await Task.WhenAll(workers);
    }

    private async Task Work(string pipelineName, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var (ready, nextAt) = _store.NextReady(pipelineName);
                if (ready is null)
                {
                    var wait = nextAt is { } at ? at - _time.GetUtcNow() : IdlePoll;
                    await _queue.WaitForWork(pipelineName, wait < IdlePoll ? wait : IdlePoll, stopping);
                    continue;
                }

                await RunChain(ready, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Runs a queued attempt and, while it fails and attempts are left, its retries.</summary>
    private async Task RunChain(QueuedRun first, CancellationToken stopping)
    {
        var current = first;
        var remaining = first.MaxAttempts - first.Attempt;
        var builder = new ResiliencePipelineBuilder<AttemptResult>();
        if (remaining > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<AttemptResult>
            {
                MaxRetryAttempts = remaining,
                Delay = first.RetryDelay,
                MaxDelay = first.RetryMaxDelay > TimeSpan.Zero ? first.RetryMaxDelay : null,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Status: AttemptStatus.Failed }),
                OnRetry = args =>
                {
                    // The next attempt is queued before the wait, so a service killed during the backoff still retries.
                    var failed = current;
                    current = _store.QueueFollowUp(failed, failed.Attempt + 1, args.RetryDelay, failed.Detail);
                    _log.LogWarning(
                        "run {Run} of {Pipeline} failed (attempt {Attempt}/{Max}); retrying in {Delay} as run {Next}",
                        failed.Id,
                        failed.Pipeline,
                        failed.Attempt,
                        failed.MaxAttempts,
                        Durations.Format(args.RetryDelay),
                        current.Id);
                    _queue.Published(current);
                    return default;
                },
            });
        }

        var result = await builder.Build().ExecuteAsync(async token => await Attempt(current, token), stopping);
        if (_state.Find(first.Pipeline) is not { } pipeline)
        {
            return;
        }

        if (result.Status is AttemptStatus.Failed or AttemptStatus.Refused)
        {
            _notice.Send(pipeline, _store.Chain(first.FirstId).Where(r => r.Status is not ("queued" or "running")).ToList());
        }

        if (result.Status is AttemptStatus.Succeeded or AttemptStatus.Failed or AttemptStatus.Refused)
        {
            StartDependents(pipeline, current, result.Status == AttemptStatus.Succeeded ? "succeeded" : "failed");
        }
    }

    private async Task<AttemptResult> Attempt(QueuedRun queued, CancellationToken stopping)
    {
        var wait = queued.NotBefore - _time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, stopping);
        }

        var pipeline = _state.Find(queued.Pipeline);
        if (pipeline is null)
        {
            var gone = _store.Finish(queued, "refused", $"the service no longer runs pipeline '{queued.Pipeline}'");
            _queue.Published(gone);
            return new AttemptResult(AttemptStatus.Refused, gone.Failure);
        }

        var run = _store.MarkRunning(queued);
        _queue.Published(run);
        _log.LogInformation("run {Run} of {Pipeline} starts ({Trigger}, attempt {Attempt}/{Max}): target {Target}, {Partitions}", run.Id, run.Pipeline, run.Trigger, run.Attempt, run.MaxAttempts, run.Target, run.Partitions);
        AttemptResult result;
        var announced = false;
        while (true)
        {
            using var output = new LineWriter(line => _log.LogInformation("[{Pipeline} {Run}] {Line}", run.Pipeline, run.Id, line));
            result = await Task.Run(() => _runner.Run(pipeline, run, output, stopping), CancellationToken.None);
            if (result.Status != AttemptStatus.Busy)
            {
                break;
            }

            if (!announced)
            {
                _log.LogInformation("run {Run} of {Pipeline} waits: {Reason}", run.Id, run.Pipeline, result.Failure);
                announced = true;
            }

            try
            {
                await Task.Delay(BusyPoll, _time, stopping);
            }
            catch (OperationCanceledException)
            {
                // It never began: it stays queued for the next start.
                _store.Finish(run, "queued", null);
                throw;
            }
        }

        var finished = _store.Finish(run, result.RecordedStatus, result.Failure);
        _queue.Published(finished);
        var took = (finished.FinishedAt - finished.StartedAt)?.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        _log.LogInformation("run {Run} of {Pipeline} {Status} in {Seconds} s{Failure}", run.Id, run.Pipeline, finished.Status, took, result.Failure is null ? string.Empty : ": " + result.Failure);
        if (result.Status == AttemptStatus.Cancelled)
        {
            var again = _store.QueueFollowUp(finished, finished.Attempt, TimeSpan.Zero, $"{finished.Detail} (again after run {finished.Id} was stopped with the service)");
            _log.LogInformation("run {Run} was stopped with the service; queued again as run {Again} for the next start", finished.Id, again.Id);
        }

        return result;
    }

    /// <summary>Queues the runs of every pipeline with an <c>after:</c> schedule that waits for this outcome.</summary>
    private void StartDependents(ServedPipeline upstream, QueuedRun run, string status)
    {
        foreach (var pipeline in _state.Pipelines)
        {
            foreach (var schedule in pipeline.Schedules.Where(s => s.Kind == ScheduleKind.After && s.AfterPipeline == upstream.Name && (s.AfterStatus == status || s.AfterStatus == "finished")))
            {
                if (_store.IsPaused(pipeline.Name, schedule.Name))
                {
                    _log.LogInformation("schedule {Pipeline}/{Schedule} is paused: {Upstream} run {Run} {Status} starts nothing", pipeline.Name, schedule.Name, upstream.Name, run.Id, status);
                    continue;
                }

                var partitions = schedule.Partitions.Kind == PartitionWindowKind.All ? PartitionRange.All : run.Partitions.At(upstream.Definition.Partitions, pipeline.Definition.Partitions);
                _queue.Enqueue(new RunRequest(
                    pipeline.Name,
                    schedule.Target ?? pipeline.DefaultTarget,
                    "schedule:" + schedule.Name,
                    $"after {upstream.Name} run {run.Id} {status}",
                    partitions,
                    pipeline.Definition.Partitions,
                    new Dictionary<string, IReadOnlyList<string>>(),
                    schedule.Retry));
            }
        }
    }
}
