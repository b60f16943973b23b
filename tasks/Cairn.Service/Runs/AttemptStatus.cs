namespace Cairn.Service.Runs;

/// <summary>How one attempt of a queued run ended.</summary>
internal enum AttemptStatus
{
    Succeeded,

    /// <summary>A stage failed: worth a retry.</summary>
    Failed,

    /// <summary>Cells wait for a person's approval of schema drift: not retried (it would hold again), no failure notice, no dependents started.</summary>
    Held,

    /// <summary>Stopped, by the service stopping; queued again.</summary>
    Cancelled,

    /// <summary>The engine would not start it (a usage error: no data for the partitions, a bad argument); a retry would not help.</summary>
    Refused,

    /// <summary>Another run (the CLI's, say) holds the workspace: nothing happened; it waits and tries again.</summary>
    Busy,
}
