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
    OutputsRebound,
    OutputMissing,
    OutputModified,

    /// <summary>A cell this one reads from is stale and will re-run first (found by Status, which runs nothing).</summary>
    Upstream,
}
