using System.Collections.Concurrent;
using Cairn.Service.Api;
using Cairn.Service.Store;
using Microsoft.Extensions.Logging;

namespace Cairn.Service.Runs;

/// <summary>
/// Where every trigger puts its run: the persistent queue (<see cref="RunStore"/>), a line in the log, an event on the
/// stream, and a nudge to the pipeline's worker.
/// </summary>
internal sealed class RunQueue
{
    private readonly RunStore _store;
    private readonly EventHub _hub;
    private readonly ILogger<RunQueue> _log;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _work = new(StringComparer.Ordinal);

    public RunQueue(RunStore store, EventHub hub, ILogger<RunQueue> log)
    {
        _store = store;
        _hub = hub;
        _log = log;
    }

    /// <exception cref="DuplicateTokenException">The request's run token was used before.</exception>
    public (QueuedRun Run, bool Merged) Enqueue(RunRequest request)
    {
        var (run, merged) = _store.Enqueue(request);
        if (merged)
        {
            _log.LogInformation("{Trigger}: {Pipeline} {Partitions} joins queued run {Run} (now {Merged})", request.Trigger, request.Pipeline, request.Partitions, run.Id, run.Partitions);
        }
        else
        {
            _log.LogInformation("{Trigger}: queued run {Run} of {Pipeline} target {Target}, {Partitions} ({Detail})", request.Trigger, run.Id, run.Pipeline, run.Target, run.Partitions, run.Detail);
        }

        Published(run);
        Signal(run.Pipeline);
        return (run, merged);
    }

    /// <summary>Tells the stream about a queued run's state.</summary>
    public void Published(QueuedRun run) => _hub.Publish("run", new
    {
        id = run.Id,
        firstId = run.FirstId,
        pipeline = run.Pipeline,
        status = run.Status,
        trigger = run.Trigger,
        detail = run.Detail,
        target = run.Target,
        partitions = run.Partitions.ToString(),
        attempt = run.Attempt,
        maxAttempts = run.MaxAttempts,
        failure = run.Failure,
    });

    public void Signal(string pipeline) => Gate(pipeline).Release();

    /// <summary>Waits until a run is queued for the pipeline, or the time is up.</summary>
    public async Task WaitForWork(string pipeline, TimeSpan longest, CancellationToken cancellation)
    {
        var gate = Gate(pipeline);
        await gate.WaitAsync(longest < TimeSpan.Zero ? TimeSpan.Zero : longest, cancellation);

        // Several signals while busy mean one look at the queue.
        while (gate.CurrentCount > 0)
        {
            await gate.WaitAsync(TimeSpan.Zero, cancellation);
        }
    }

    private SemaphoreSlim Gate(string pipeline) => _work.GetOrAdd(pipeline, _ => new SemaphoreSlim(0));
}
