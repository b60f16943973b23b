namespace Cairn.Engine.Configuration;

/// <summary>Which partitions a schedule's run takes (<c>partitions:</c>).</summary>
internal enum PartitionWindowKind
{
    /// <summary>Every partition in the landing zone.</summary>
    All,

    /// <summary>The hour before the fire's hour; the service refuses it for partitions of days or months.</summary>
    PreviousHour,

    /// <summary>The day before the fire's day, in the schedule's time zone: one day, or its 24 hours.</summary>
    PreviousDay,

    /// <summary>The month before the fire's month: the month, its days or its hours.</summary>
    PreviousMonth,

    /// <summary>The last N days up to the day before the fire (<c>last 7 days</c>): those days, or their hours.</summary>
    LastDays,

    /// <summary>The partitions whose files arrived (data-arrival schedules).</summary>
    Arrived,

    /// <summary>The partitions of the upstream run (dependency schedules).</summary>
    Same,
}
