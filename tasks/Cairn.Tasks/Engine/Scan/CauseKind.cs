namespace Cairn.Engine.Scan;

/// <summary>One kind of difference between a cell as it is bound now and what its checkpoint recorded.</summary>
internal enum CauseKind
{
    FirstRun,
    Forced,
    CheckpointUnreadable,
    CodeChanged,
    ParameterChanged,
    InputChanged,
    InputAdded,
    InputRemoved,
    InputMissing,

    /// <summary>An input (or a recorded output) could not be read: not a regular file, or an I/O error. The cell fails.</summary>
    InputUnreadable,
    OutputsRebound,
    OutputMissing,
    OutputModified,

    /// <summary>
    /// The cell is held for a person's review of schema drift in its data (pending, or rejected): it is not run, and
    /// neither are the cells that read from it in its partition. Detail is the sentence that says so.
    /// </summary>
    AwaitingApproval,

    /// <summary>A cell this one reads from is stale and will re-run first (found by Status, which runs nothing).</summary>
    Upstream,
}
