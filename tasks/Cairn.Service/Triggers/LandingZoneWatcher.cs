using Cairn.Engine.Configuration;
using Cairn.Service.Api;
using Cairn.Service.Hosting;
using Cairn.Service.Pipelines;
using Cairn.Service.Runs;
using Cairn.Service.Store;
using Microsoft.Extensions.Logging;

namespace Cairn.Service.Triggers;

/// <summary>
/// Watches one pipeline's landing zone for its <c>arrival:</c> schedules. A file system watcher says something moved;
/// a rescan (after each event burst, and every <c>rescan</c> as a safety net for what a watcher misses) says what:
/// the partitions with a new or changed file since the last run it started. Once the landing zone has been quiet for
/// the quiet period, those partitions become one run. What it has seen is kept in the service's database, so files that
/// arrive while the service is down start a run when it is back. A landing zone that disappears is logged, and
/// watching resumes when it comes back.
/// </summary>
internal sealed class LandingZoneWatcher : IDisposable
{
    private readonly ServiceState _state;
    private readonly string _pipeline;
    private readonly RunStore _store;
    private readonly RunQueue _queue;
    private readonly EventHub _hub;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private FileSystemWatcher? _watcher;
    private bool _dirty = true;
    private DateTimeOffset _lastEvent = DateTimeOffset.MinValue;
    private bool _missingReported;

    public LandingZoneWatcher(ServiceState state, string pipeline, RunStore store, RunQueue queue, EventHub hub, ILogger log, TimeProvider time)
    {
        _state = state;
        _pipeline = pipeline;
        _store = store;
        _queue = queue;
        _hub = hub;
        _log = log;
        _time = time;
    }

    public async Task Watch(CancellationToken stopping)
    {
        var seen = _store.LandingFiles(_pipeline);
        Dictionary<string, (long, long)>? current = null;
        var lastScan = DateTimeOffset.MinValue;
        var lastChange = DateTimeOffset.MinValue;
        while (!stopping.IsCancellationRequested)
        {
            var pipeline = _state.Find(_pipeline);
            var schedules = pipeline?.Schedules.Where(s => s.Kind == ScheduleKind.Arrival).ToList() ?? [];
            if (pipeline is null || schedules.Count == 0)
            {
                StopWatching();
                await Task.Delay(TimeSpan.FromSeconds(1), _time, stopping);
                continue;
            }

            var quiet = schedules.Min(s => s.QuietPeriod);
            var rescan = schedules.Min(s => s.Rescan);
            var now = _time.GetUtcNow();
            bool dirty;
            lock (_gate)
            {
                dirty = _dirty;
                _dirty = false;
            }

            if (dirty || now - lastScan >= rescan || current is null)
            {
                lastScan = now;
                var scan = LandingSnapshot.Take(pipeline.Raw, pipeline.Definition.Partitions);
                if (scan is null)
                {
                    Missing(pipeline.Raw);
                }
                else
                {
                    Present(pipeline.Raw);
                    if (seen is null)
                    {
                        // First start: what is there already is the baseline, not an arrival.
                        seen = scan;
                        _store.SaveLandingFiles(_pipeline, seen);
                        _log.LogInformation("landing zone {Landing} of {Pipeline}: watching {Files} file(s) for arrivals", pipeline.Raw, _pipeline, scan.Count);
                    }

                    if (current is null || !SameFiles(current, scan))
                    {
                        lastChange = now;
                    }

                    current = scan;
                }
            }

            if (seen is not null && current is not null)
            {
                var scheme = pipeline.Definition.Partitions;
                var changedFiles = LandingSnapshot.Changed(seen, current);
                var changed = LandingSnapshot.Partitions(changedFiles, scheme);
                DateTimeOffset lastEvent;
                lock (_gate)
                {
                    lastEvent = _lastEvent;
                }

                var settled = now - (lastChange > lastEvent ? lastChange : lastEvent) >= quiet;
                var active = schedules.Where(s => !_store.IsPaused(_pipeline, s.Name)).ToList();
                var arrived = scheme.IsPartitioned ? changed.Count > 0 : changedFiles.Count > 0;
                if (arrived && settled && active.Count > 0)
                {
                    var files = changedFiles.Count;
                    var where = scheme.IsPartitioned
                        ? string.Join(", ", changed.Take(5)) + (changed.Count > 5 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $", … ({changed.Count:N0} in all)") : string.Empty)
                        : "the landing zone (no partitions)";
                    if (scheme.IsPartitioned)
                    {
                        _log.LogInformation("landing zone {Landing} of {Pipeline}: {Files:N0} new or changed file(s) in {Count:N0} partition(s) ({Days}), quiet for {Quiet}", pipeline.Raw, _pipeline, files, changed.Count, where, Durations.Format(quiet));
                    }
                    else
                    {
                        _log.LogInformation("landing zone {Landing} of {Pipeline}: {Files:N0} new or changed file(s), no partitions (partitions: grain: none), quiet for {Quiet}", pipeline.Raw, _pipeline, files, Durations.Format(quiet));
                    }

                    _hub.Publish("arrival", new { pipeline = _pipeline, files, partitions = changed.ToList() });
                    foreach (var schedule in active)
                    {
                        var partitions = schedule.Partitions.Kind == PartitionWindowKind.All ? PartitionRange.All : PartitionRange.Of(scheme, changed);
                        _queue.Enqueue(new RunRequest(
                            _pipeline,
                            schedule.Target ?? pipeline.DefaultTarget,
                            "schedule:" + schedule.Name,
                            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{files:N0} new or changed file(s) in {where}"),
                            partitions,
                            scheme,
                            new Dictionary<string, IReadOnlyList<string>>(),
                            schedule.Retry));
                    }

                    seen = current;
                    _store.SaveLandingFiles(_pipeline, seen);
                }
            }

            var tick = TimeSpan.FromMilliseconds(Math.Clamp(quiet.TotalMilliseconds / 4, 50, 1000));
            await Task.Delay(tick, _time, stopping);
        }
    }

    public void Dispose() => StopWatching();

    private static bool SameFiles(Dictionary<string, (long, long)> a, Dictionary<string, (long, long)> b) =>
        a.Count == b.Count && a.All(f => b.TryGetValue(f.Key, out var other) && other == f.Value);

    private void Missing(string landing)
    {
        StopWatching();
        if (!_missingReported)
        {
            _log.LogWarning("landing zone {Landing} of {Pipeline} does not exist (deleted, or not made yet); watching resumes when it comes back", landing, _pipeline);
            _missingReported = true;
        }
    }

    private void Present(string landing)
    {
        if (_missingReported)
        {
            _log.LogInformation("landing zone {Landing} of {Pipeline} is back; watching again", landing, _pipeline);
            _missingReported = false;
        }

        if (_watcher is not null)
        {
            return;
        }

        try
        {
            var watcher = new FileSystemWatcher(landing)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
                InternalBufferSize = 64 * 1024,
            };
            watcher.Created += (_, _) => Touched();
            watcher.Changed += (_, _) => Touched();
            watcher.Renamed += (_, _) => Touched();
            watcher.Deleted += (_, _) => Touched();

            // An overflowed or broken watcher loses events: the rescan finds what they would have said.
            watcher.Error += (_, _) => Touched();
            watcher.EnableRaisingEvents = true;
            _watcher = watcher;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            _log.LogWarning("landing zone {Landing} of {Pipeline}: no file watcher ({Reason}); the rescan alone finds arrivals", landing, _pipeline, e.Message);
        }
    }

    private void Touched()
    {
        lock (_gate)
        {
            _dirty = true;
            _lastEvent = _time.GetUtcNow();
        }
    }

    private void StopWatching()
    {
        _watcher?.Dispose();
        _watcher = null;
    }
}
