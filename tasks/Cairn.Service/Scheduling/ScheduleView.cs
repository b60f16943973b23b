namespace Cairn.Service.Scheduling;

/// <summary>One schedule as GET /api/schedules shows it.</summary>
internal sealed record ScheduleView(
    string Pipeline,
    string Name,
    string Kind,
    string? Cron,
    string TimeZone,
    string Target,
    string Partitions,
    bool Paused,
    DateTimeOffset? NextFireTime,
    DateTimeOffset? PreviousFireTime,
    int CatchUp,
    int Attempts,
    string? After,
    string? QuietPeriod,
    string Source);
