namespace Cairn.Service.Scheduling;

/// <summary>
/// The scheduler as GET /api/health shows it: Quartz's state (running, standby, …), since when it runs, how many
/// jobs its store holds and how many fires it has run, the job store, and every schedule's next fire.
/// </summary>
internal sealed record SchedulerHealth(
    string State,
    DateTimeOffset? RunningSince,
    int Jobs,
    int JobsExecuted,
    string JobStore,
    bool Persistent,
    IReadOnlyList<ScheduleFire> Schedules);
