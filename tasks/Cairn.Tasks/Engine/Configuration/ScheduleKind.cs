namespace Cairn.Engine.Configuration;

/// <summary>What starts a schedule's runs.</summary>
internal enum ScheduleKind
{
    /// <summary>A cron expression (<c>cron:</c>): time-driven.</summary>
    Cron,

    /// <summary>New or changed files in the landing zone (<c>arrival:</c>).</summary>
    Arrival,

    /// <summary>Another pipeline's run ending as named (<c>after:</c>).</summary>
    After,
}
