using System.Globalization;
using Cairn.Engine.Configuration;
using Cairn.Service.Api;
using Cairn.Service.Hosting;
using Cairn.Service.Pipelines;
using Cairn.Service.Runs;
using Cairn.Service.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Cairn.Service.Scheduling;

/// <summary>
/// Keeps Quartz's persistent triggers in step with the pipelines' cron schedules: at start (catching up the fires
/// missed while the service was down, as each schedule's <c>catch_up</c> says), and whenever the pipeline files are
/// read again (SIGHUP, POST /api/schedules/reload), saying in the log what changed. Pauses and resumes schedules:
/// Quartz's pause for cron triggers, Cairn's table for the others.
/// </summary>
internal sealed class ScheduleService : IHostedService, IDisposable
{
    // A missed-fire count is exact up to here; a schedule firing every second over a long downtime stops counting.
    private const int MostMissedFiresCounted = 100_000;
    private readonly ServiceState _state;
    private readonly ISchedulerFactory _factory;
    private readonly RunQueue _queue;
    private readonly RunStore _store;
    private readonly EventHub _hub;
    private readonly ILogger<ScheduleService> _log;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IScheduler? _scheduler;

    public ScheduleService(ServiceState state, ISchedulerFactory factory, RunQueue queue, RunStore store, EventHub hub, ILogger<ScheduleService> log, TimeProvider time)
    {
        _state = state;
        _factory = factory;
        _queue = queue;
        _store = store;
        _hub = hub;
        _log = log;
        _time = time;
    }

    private IScheduler Scheduler => _scheduler ?? throw new InvalidOperationException("The scheduler has not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _scheduler = await _factory.GetScheduler(cancellationToken);
        await Sync(_state.Pipelines, starting: true, cancellationToken);
        await _scheduler.Start(cancellationToken);
    }

    public void Dispose() => _gate.Dispose();

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_scheduler is not null)
        {
            await _scheduler.Shutdown(true, cancellationToken);
        }
    }

    /// <summary>Reads the pipeline files again and applies their schedules; a file that cannot be used leaves everything as it was.</summary>
    /// <returns>What changed, a line each.</returns>
    /// <exception cref="CairnUsageException">A pipeline file or a schedule cannot be used; nothing changed.</exception>
    public async Task<IReadOnlyList<string>> Reload(CancellationToken cancellationToken)
    {
        var pipelines = PipelineCatalog.Load(_state.Arguments);
        var missing = _state.Pipelines.Select(p => p.Name).Except(pipelines.Select(p => p.Name)).ToList();
        if (missing.Count > 0 || pipelines.Count != _state.Pipelines.Count)
        {
            throw new CairnUsageException($"The pipelines changed ({string.Join(", ", pipelines.Select(p => p.Name))} instead of {string.Join(", ", _state.Pipelines.Select(p => p.Name))}); restart the service to serve another set of pipelines.");
        }

        _state.Replace(pipelines);
        var changes = await Sync(pipelines, starting: false, cancellationToken);
        _hub.Publish("schedule", new { change = "reloaded", lines = changes });
        return changes;
    }

    public async Task<IReadOnlyList<ScheduleView>> Describe(CancellationToken cancellationToken)
    {
        var views = new List<ScheduleView>();
        foreach (var pipeline in _state.Pipelines)
        {
            foreach (var schedule in pipeline.Schedules)
            {
                var paused = _store.IsPaused(pipeline.Name, schedule.Name);
                DateTimeOffset? next = null, previous = null;
                string? cron = schedule.Cron;
                if (schedule.Kind == ScheduleKind.Cron && _scheduler is not null)
                {
                    var key = TriggerKeyOf(pipeline, schedule);
                    if (await _scheduler.GetTrigger(key, cancellationToken) is ICronTrigger trigger)
                    {
                        paused = await _scheduler.GetTriggerState(key, cancellationToken) == TriggerState.Paused;
                        next = paused ? null : trigger.NextFireTimeUtc;
                        previous = trigger.PreviousFireTimeUtc;
                        cron = trigger.CronExpressionString;
                    }
                }

                views.Add(new ScheduleView(
                    pipeline.Name,
                    schedule.Name,
                    schedule.Kind.ToString().ToLowerInvariant(),
                    cron,
                    schedule.TimeZone,
                    schedule.Target ?? pipeline.DefaultTarget,
                    schedule.Partitions.ToString(),
                    paused,
                    next,
                    previous,
                    schedule.CatchUp,
                    schedule.Retry.Attempts,
                    schedule.Kind == ScheduleKind.After ? $"{schedule.AfterPipeline} {schedule.AfterStatus}" : null,
                    schedule.Kind == ScheduleKind.Arrival ? Durations.Format(schedule.QuietPeriod) : null,
                    schedule.Source));
            }
        }

        return views;
    }

    /// <summary>The scheduler's state for GET /api/health: Quartz's own state and job count, and each schedule's next fire.</summary>
    public async Task<SchedulerHealth> Health(CancellationToken cancellationToken)
    {
        var schedules = (await Describe(cancellationToken)).Select(v => new ScheduleFire(v.Pipeline, v.Name, v.Kind, v.Paused, v.NextFireTime)).ToList();
        if (_scheduler is not { } scheduler)
        {
            return new SchedulerHealth("not started", null, 0, 0, string.Empty, Persistent: false, schedules);
        }

        var metadata = await scheduler.GetMetadata(cancellationToken);
        var jobs = await scheduler.GetJobKeys(GroupMatcher<JobKey>.AnyGroup(), cancellationToken);
        return new SchedulerHealth(
            StateOf(await scheduler.GetStatus(cancellationToken)),
            metadata.RunningSince,
            jobs.Count,
            metadata.JobsExecuted,
            metadata.JobStoreTypeName,
            metadata.JobStorePersistent,
            schedules);
    }

    /// <summary>Pauses or resumes a schedule: a paused schedule starts no run until it is resumed (a resumed cron schedule does not run the fires it skipped).</summary>
    public async Task SetPaused(ServedPipeline pipeline, ScheduleDefinition schedule, bool paused, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (schedule.Kind == ScheduleKind.Cron)
            {
                var key = TriggerKeyOf(pipeline, schedule);
                if (paused)
                {
                    await Scheduler.PauseTrigger(key, cancellationToken);
                }
                else
                {
                    await Scheduler.ResumeTrigger(key, cancellationToken);
                }
            }

            _store.SetPaused(pipeline.Name, schedule.Name, paused);
        }
        finally
        {
            _gate.Release();
        }

        _log.LogInformation("schedule {Pipeline}/{Schedule} {State}", pipeline.Name, schedule.Name, paused ? "paused" : "resumed");
        _hub.Publish("schedule", new { pipeline = pipeline.Name, name = schedule.Name, paused });
    }

    /// <summary>The canonical text of a schedule, to tell what changed between two readings of the file.</summary>
    private static string Canonical(ScheduleDefinition s) => string.Join(
        "; ",
        new[]
        {
            s.Kind switch
            {
                ScheduleKind.Cron => $"cron '{s.Cron}' {s.TimeZone}",
                ScheduleKind.Arrival => $"arrival quiet {Durations.Format(s.QuietPeriod)}, rescan {Durations.Format(s.Rescan)}",
                _ => $"after {s.AfterPipeline} {s.AfterStatus}",
            },
            $"target {s.Target ?? "(default)"}",
            $"partitions {s.Partitions}",
            s.Kind == ScheduleKind.Cron ? string.Create(CultureInfo.InvariantCulture, $"catch_up {s.CatchUp}") : null,
            string.Create(CultureInfo.InvariantCulture, $"retry {s.Retry.Attempts} x {Durations.Format(s.Retry.Delay)}..{Durations.Format(s.Retry.MaxDelay)}"),
        }.Where(part => part is not null));

    private static string StateOf(SchedulerStatus status) => status switch
    {
        SchedulerStatus.Running => "running",
        SchedulerStatus.Standby => "standby",
        SchedulerStatus.Created => "not started",
        SchedulerStatus.ShuttingDown => "shutting down",
        SchedulerStatus.Shutdown => "shut down",
        _ => "unknown",
    };

    private static TriggerKey TriggerKeyOf(ServedPipeline pipeline, ScheduleDefinition schedule) => new(schedule.Name, pipeline.Name);

    private static JobKey JobKeyOf(ServedPipeline pipeline, ScheduleDefinition schedule) => new(schedule.Name, pipeline.Name);

    private async Task<IReadOnlyList<string>> Sync(IReadOnlyList<ServedPipeline> pipelines, bool starting, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var changes = new List<string>();
            foreach (var pipeline in pipelines)
            {
                var before = _store.Schedules(pipeline.Name).Where(s => s.Key != ".landing").ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
                var now = pipeline.Schedules.ToDictionary(s => s.Name, Canonical, StringComparer.Ordinal);
                foreach (var (name, text) in now)
                {
                    if (!before.TryGetValue(name, out var old))
                    {
                        changes.Add($"schedule {pipeline.Name}/{name}: added ({text})");
                    }
                    else if (old != text)
                    {
                        changes.Add($"schedule {pipeline.Name}/{name}: changed from ({old}) to ({text})");
                    }
                }

                changes.AddRange(before.Keys.Except(now.Keys).Select(name => $"schedule {pipeline.Name}/{name}: removed (was {before[name]})"));
                var landing = _store.Schedules(pipeline.Name).Where(s => s.Key == ".landing").ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
                _store.SaveSchedules(pipeline.Name, now.Concat(landing).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
                foreach (var name in before.Keys.Except(now.Keys))
                {
                    _store.SetPaused(pipeline.Name, name, paused: false);
                }

                await SyncTriggers(pipeline, before, now, starting, cancellationToken);
            }

            foreach (var change in changes)
            {
                _log.LogInformation("{Change}", change);
            }

            if (changes.Count == 0 && !starting)
            {
                _log.LogInformation("schedules read again: nothing changed");
            }

            return changes;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task SyncTriggers(ServedPipeline pipeline, Dictionary<string, string> before, Dictionary<string, string> now, bool starting, CancellationToken cancellationToken)
    {
        var scheduler = Scheduler;
        var cron = pipeline.Schedules.Where(s => s.Kind == ScheduleKind.Cron).ToList();
        foreach (var key in await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(pipeline.Name), cancellationToken))
        {
            if (cron.All(s => s.Name != key.Name))
            {
                await scheduler.DeleteJob(new JobKey(key.Name, key.Group), cancellationToken);
            }
        }

        var clock = _time.GetUtcNow();
        foreach (var schedule in cron)
        {
            var key = TriggerKeyOf(pipeline, schedule);
            var expression = ScheduleChecks.Cron(schedule);
            var existing = await scheduler.GetTrigger(key, cancellationToken);
            var unchanged = existing is not null && before.TryGetValue(schedule.Name, out var old) && old == now[schedule.Name];
            var paused = existing is not null && await scheduler.GetTriggerState(key, cancellationToken) == TriggerState.Paused;
            if (unchanged && existing!.NextFireTimeUtc is { } next && next > clock)
            {
                continue;
            }

            if (starting && unchanged && existing!.NextFireTimeUtc is { } missedFrom)
            {
                CatchUp(pipeline, schedule, expression, missedFrom, clock, paused);
            }

            // Quartz fires from now on only: the fires missed before now are the catch-up's, so none runs twice.
            var trigger = TriggerBuilder.Create()
                .WithIdentity(key)
                .ForJob(JobKeyOf(pipeline, schedule))
                .WithSchedule(CronScheduleBuilder.Create(expression).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing))
                .StartAt(clock)
                .Build();
            if (existing is null)
            {
                var job = JobBuilder.Create<ScheduleFiredJob>()
                    .WithIdentity(JobKeyOf(pipeline, schedule))
                    .UsingJobData(ScheduleFiredJob.PipelineKey, pipeline.Name)
                    .UsingJobData(ScheduleFiredJob.ScheduleKey, schedule.Name)
                    .StoreDurably()
                    .Build();
                await scheduler.ScheduleJob(job, trigger, cancellationToken: cancellationToken);
                if (_store.IsPaused(pipeline.Name, schedule.Name))
                {
                    await scheduler.PauseTrigger(key, cancellationToken);
                }
            }
            else
            {
                await scheduler.RescheduleJob(key, trigger, cancellationToken);
                if (paused)
                {
                    await scheduler.PauseTrigger(key, cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// The fires a cron schedule missed while the service was down: up to <c>catch_up</c> of the latest run, oldest
    /// first, as one run over all their partitions; the rest are skipped, and the log says how many of each.
    /// </summary>
    private void CatchUp(ServedPipeline pipeline, ScheduleDefinition schedule, CronExpression expression, DateTimeOffset from, DateTimeOffset until, bool paused)
    {
        var missed = new List<DateTimeOffset>();
        for (DateTimeOffset? fire = from; fire is { } at && at < until && missed.Count < MostMissedFiresCounted; fire = expression.GetNextValidTimeAfter(at))
        {
            missed.Add(at);
        }

        if (missed.Count == 0)
        {
            return;
        }

        var name = $"{pipeline.Name}/{schedule.Name}";
        if (paused)
        {
            _log.LogInformation("schedule {Schedule} missed {Count:N0} fire(s) while the service was down; it is paused, so none runs", name, missed.Count);
            return;
        }

        var take = Math.Min(schedule.CatchUp, missed.Count);
        if (take == 0)
        {
            _log.LogInformation("schedule {Schedule} missed {Count:N0} fire(s) from {First:u} to {Last:u} while the service was down; catch_up is 0, so they are skipped", name, missed.Count, missed[0], missed[^1]);
            return;
        }

        var caught = missed.Skip(missed.Count - take).ToList();
        var scheme = pipeline.Definition.Partitions;
        var windows = caught.Select(f => PartitionWindows.For(schedule, scheme, f)).ToList();

        // A fire's window is all, or closed at both ends.
        var partitions = windows.Any(w => w.IsAll) ? PartitionRange.All : PartitionRange.Of(scheme, windows.SelectMany(w => (string[])[w.From!, w.To!]));
        var skipped = missed.Count - take;
        _log.LogInformation(
            "schedule {Schedule} missed {Count:N0} fire(s) from {From:u} to {To:u} while the service was down; catching up {Take:N0} ({First:u} to {Last:u}) as one run{Skipped}",
            name,
            missed.Count,
            missed[0],
            missed[^1],
            take,
            caught[0],
            caught[^1],
            skipped > 0 ? $", skipping the {skipped} before them (catch_up: {schedule.CatchUp})" : string.Empty);
        _queue.Enqueue(new RunRequest(
            pipeline.Name,
            schedule.Target ?? pipeline.DefaultTarget,
            "schedule:" + schedule.Name,
            string.Create(CultureInfo.InvariantCulture, $"catch-up of {take:N0} missed fire(s) of {missed.Count:N0}, {caught[0]:yyyy-MM-dd HH:mm:ss}Z to {caught[^1]:yyyy-MM-dd HH:mm:ss}Z"),
            partitions,
            scheme,
            new Dictionary<string, IReadOnlyList<string>>(),
            schedule.Retry));
    }
}
