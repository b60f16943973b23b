namespace Cairn.Engine.Scan;

/// <summary>Why a cell runs, or that it is skipped.</summary>
internal enum DecisionKind
{
    UpToDate,
    FirstRun,
    Forced,
    CheckpointUnreadable,
    CodeChanged,
    ParameterChanged,
    InputChanged,
    OutputsRebound,
    OutputMissing,
    OutputModified,
}
