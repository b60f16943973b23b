namespace Cairn.Engine.Scan;

/// <summary>Why a cell runs, by its first cause (input changed, added and removed are one kind), or that it is skipped.</summary>
internal enum DecisionKind
{
    UpToDate,
    FirstRun,
    Forced,
    CheckpointUnreadable,
    CodeChanged,
    ParameterChanged,
    InputChanged,
    InputMissing,
    InputUnreadable,
    OutputsRebound,
    OutputMissing,
    OutputModified,
    Upstream,
    AwaitingApproval,
}
