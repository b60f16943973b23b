using System.Globalization;
using Cairn.Service.Hosting;
using Cairn.Service.Runs;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Cairn.Service.Scheduling;

/// <summary>
/// What a cron schedule's Quartz trigger does when it fires: queue a run of the schedule's target over the fire's
/// partitions. Quick on purpose: the run itself waits in Cairn's queue, which keeps one run per workspace.
/// </summary>
internal sealed class ScheduleFiredJob : IJob
{
    public const string PipelineKey = "pipeline";
    public const string ScheduleKey = "schedule";

    private readonly ServiceState _state;
    private readonly RunQueue _queue;
    private readonly ILogger<ScheduleFiredJob> _log;

    public ScheduleFiredJob(ServiceState state, RunQueue queue, ILogger<ScheduleFiredJob> log)
    {
        _state = state;
        _queue = queue;
        _log = log;
    }

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var pipelineName = context.MergedJobDataMap.GetString(PipelineKey);
        var scheduleName = context.MergedJobDataMap.GetString(ScheduleKey);
        var pipeline = pipelineName is null ? null : _state.Find(pipelineName);
        var schedule = pipeline?.Schedules.FirstOrDefault(s => s.Name == scheduleName);
        if (pipeline is null || schedule is null)
        {
            _log.LogWarning("Quartz fired {Pipeline}/{Schedule}, which the pipeline file no longer has; nothing queued", pipelineName, scheduleName);
            return ValueTask.CompletedTask;
        }

        var fire = context.ScheduledFireTimeUtc ?? context.FireTimeUtc;
        var local = TimeZoneInfo.ConvertTime(fire, ScheduleChecks.TimeZone(schedule));
        _queue.Enqueue(new RunRequest(
            pipeline.Name,
            schedule.Target ?? pipeline.DefaultTarget,
            "schedule:" + schedule.Name,
            string.Create(CultureInfo.InvariantCulture, $"fire at {local:yyyy-MM-dd HH:mm:ss} {schedule.TimeZone}"),
            PartitionWindows.For(schedule, pipeline.Definition.Partitions, fire),
            pipeline.Definition.Partitions,
            new Dictionary<string, IReadOnlyList<string>>(),
            schedule.Retry));
        return ValueTask.CompletedTask;
    }
}
