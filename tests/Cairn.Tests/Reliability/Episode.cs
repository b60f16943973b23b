namespace Cairn.Tests.Reliability;

/// <summary>What a stretch of killed runs does before it is run to completion; each gives the runs real work to be killed in.</summary>
internal enum Episode
{
    /// <summary>From an empty workspace: every cell runs for the first time.</summary>
    Backfill,

    /// <summary><c>--force=true</c>: every cell runs again over existing outputs and checkpoints.</summary>
    Forced,

    /// <summary>Some raw days changed: their cells and the whole-dataset stages re-run, replacing outputs.</summary>
    Changed,

    /// <summary>The changed days back as they were: the same cells re-run again, back to the reference's outputs.</summary>
    Reverted,
}
