using Cairn.Service.Api;
using Cairn.Service.Hosting;
using Cairn.Service.Runs;
using Cairn.Service.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cairn.Service.Triggers;

/// <summary>One <see cref="LandingZoneWatcher"/> per pipeline, for as long as the service runs.</summary>
internal sealed class ArrivalTriggers : BackgroundService
{
    private readonly ServiceState _state;
    private readonly RunStore _store;
    private readonly RunQueue _queue;
    private readonly EventHub _hub;
    private readonly ILogger<ArrivalTriggers> _log;
    private readonly TimeProvider _time;

    public ArrivalTriggers(ServiceState state, RunStore store, RunQueue queue, EventHub hub, ILogger<ArrivalTriggers> log, TimeProvider time)
    {
        _state = state;
        _store = store;
        _queue = queue;
        _hub = hub;
        _log = log;
        _time = time;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watchers = _state.Pipelines.Select(p => new LandingZoneWatcher(_state, p.Name, _store, _queue, _hub, _log, _time)).ToList();
        try
        {
            await Task.WhenAll(watchers.Select(w => Task.Run(() => Watch(w, stoppingToken), CancellationToken.None)));
        }
        finally
        {
            foreach (var watcher in watchers)
            {
                watcher.Dispose();
            }
        }
    }

    private static async Task Watch(LandingZoneWatcher watcher, CancellationToken stopping)
    {
        try
        {
            await watcher.Watch(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The service is stopping.
        }
    }
}
