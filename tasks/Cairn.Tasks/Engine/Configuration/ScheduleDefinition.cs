namespace Cairn.Engine.Configuration;

/// <summary>
/// One entry of a pipeline file's <c>schedules:</c> list: what starts runs (<see cref="Kind"/>), which target and
/// partitions they run, and how a failed run is retried. Read and checked by the engine; run by the service.
/// </summary>
/// <param name="Name">Unique in the pipeline; runs it starts are recorded as triggered by <c>schedule:NAME</c>.</param>
/// <param name="Kind">Cron, data arrival or another pipeline's run.</param>
/// <param name="Target">The stage to run with the stages it needs; null for every stage.</param>
/// <param name="Source">Where the entry is, <c>file:line</c>, for messages.</param>
internal sealed record ScheduleDefinition(string Name, ScheduleKind Kind, string? Target, string Source)
{
    /// <summary>The cron expression as written: six or seven fields (Quartz, seconds first) or five (crontab).</summary>
    public string? Cron { get; init; }

    /// <summary>The IANA (or Windows) id of the time zone the cron expression and the partition window are read in.</summary>
    public string TimeZone { get; init; } = "UTC";

    public PartitionWindow Partitions { get; init; } = PartitionWindow.All;

    /// <summary>After downtime, how many of the missed fires (the latest ones) run, as one backfill; 0 skips them.</summary>
    public int CatchUp { get; init; }

    /// <summary>Data arrival: how long the landing zone must stay unchanged before the run starts.</summary>
    public TimeSpan QuietPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Data arrival: how often the whole landing zone is compared with what was seen, besides the file watcher.</summary>
    public TimeSpan Rescan { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Dependency: the pipeline whose runs start this one's.</summary>
    public string? AfterPipeline { get; init; }

    /// <summary>Dependency: succeeded, failed or finished (either).</summary>
    public string AfterStatus { get; init; } = "succeeded";

    public RunRetryPolicy Retry { get; init; } = RunRetryPolicy.None;
}
