using Cairn.Engine.Configuration;
using Cairn.Service.Pipelines;

namespace Cairn.Service.Scheduling;

/// <summary>The partitions a cron schedule's fire takes, read in the schedule's time zone: the day before the fire's day, and so on.</summary>
internal static class PartitionWindows
{
    public static PartitionRange For(ScheduleDefinition schedule, DateTimeOffset fire)
    {
        var local = TimeZoneInfo.ConvertTime(fire, ScheduleChecks.TimeZone(schedule));
        var day = DateOnly.FromDateTime(local.DateTime);
        switch (schedule.Partitions.Kind)
        {
            case PartitionWindowKind.PreviousHour:
                return PartitionRange.Day(DateOnly.FromDateTime(local.AddHours(-1).DateTime));
            case PartitionWindowKind.PreviousDay:
                return PartitionRange.Day(day.AddDays(-1));
            case PartitionWindowKind.PreviousMonth:
                var first = new DateOnly(day.Year, day.Month, 1).AddMonths(-1);
                return new PartitionRange(first, first.AddMonths(1).AddDays(-1));
            case PartitionWindowKind.LastDays:
                var to = day.AddDays(-1);
                return new PartitionRange(to.AddDays(1 - schedule.Partitions.Days), to);
            default:
                return PartitionRange.All;
        }
    }
}
