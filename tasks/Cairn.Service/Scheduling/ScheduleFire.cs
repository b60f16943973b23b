namespace Cairn.Service.Scheduling;

/// <summary>
/// One schedule's next fire as GET /api/health shows it: a cron schedule's next fire time (none while paused); data
/// arriving and another pipeline's run have no time to fire at, so theirs is null.
/// </summary>
internal sealed record ScheduleFire(string Pipeline, string Name, string Kind, bool Paused, DateTimeOffset? NextFireTime);
