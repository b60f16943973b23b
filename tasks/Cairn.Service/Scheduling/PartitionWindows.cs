using Cairn.Engine.Configuration;
using Cairn.Engine.Partitions;
using Cairn.Service.Pipelines;

namespace Cairn.Service.Scheduling;

/// <summary>
/// The partitions a cron schedule's fire takes, read in the schedule's time zone, at the pipeline's grain: the hour
/// before the fire's hour, the day before its day, the month before its month, the last N days; each as the keys of
/// the grain that cover that time (the 24 hours of a day for an hourly pipeline, the days of a month for a daily one).
/// A window finer than the grain is refused when the service loads its configuration (<see cref="ScheduleChecks"/>).
/// </summary>
internal static class PartitionWindows
{
    public static PartitionRange For(ScheduleDefinition schedule, PartitionScheme scheme, DateTimeOffset fire)
    {
        var local = TimeZoneInfo.ConvertTime(fire, ScheduleChecks.TimeZone(schedule)).DateTime;
        var today = local.Date;
        switch (schedule.Partitions.Kind)
        {
            case PartitionWindowKind.PreviousHour:
                var hour = today.AddHours(local.Hour - 1);
                return PartitionRange.Between(scheme, hour, hour.AddHours(1));
            case PartitionWindowKind.PreviousDay:
                return PartitionRange.Between(scheme, today.AddDays(-1), today);
            case PartitionWindowKind.PreviousMonth:
                var month = new DateTime(today.Year, today.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);
                return PartitionRange.Between(scheme, month.AddMonths(-1), month);
            case PartitionWindowKind.LastDays:
                return PartitionRange.Between(scheme, today.AddDays(-schedule.Partitions.Days), today);
            default:
                return PartitionRange.All;
        }
    }

    /// <summary>Whether the window is finer than one partition of the grain (<c>previous_hour</c> of a daily pipeline), so a fire would take a partition that is still filling.</summary>
    public static bool IsFinerThan(PartitionWindowKind window, PartitionGrain grain) => (window, grain) switch
    {
        (PartitionWindowKind.PreviousHour, PartitionGrain.Day or PartitionGrain.Month) => true,
        (PartitionWindowKind.PreviousDay or PartitionWindowKind.LastDays, PartitionGrain.Month) => true,
        _ => false,
    };
}
