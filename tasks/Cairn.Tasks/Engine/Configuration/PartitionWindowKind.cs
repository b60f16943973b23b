namespace Cairn.Engine.Configuration;

/// <summary>Which partitions a schedule's run takes (<c>partitions:</c>).</summary>
internal enum PartitionWindowKind
{
    /// <summary>Every partition in the landing zone.</summary>
    All,

    /// <summary>The day holding the hour before the fire (partitions are days).</summary>
    PreviousHour,

    /// <summary>The day before the fire's day, in the schedule's time zone.</summary>
    PreviousDay,

    /// <summary>Every day of the month before the fire's month.</summary>
    PreviousMonth,

    /// <summary>The last N days up to the day before the fire (<c>last 7 days</c>).</summary>
    LastDays,

    /// <summary>The partitions whose files arrived (data-arrival schedules).</summary>
    Arrived,

    /// <summary>The partitions of the upstream run (dependency schedules).</summary>
    Same,
}
