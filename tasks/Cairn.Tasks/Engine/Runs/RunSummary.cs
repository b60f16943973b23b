namespace Cairn.Engine.Runs;

/// <summary>What a run did, for its closing table and outcome.</summary>
internal sealed record RunSummary(
    string RunId,
    string Environment,
    int Partitions,
    IReadOnlyList<string> Stages,
    IReadOnlyList<StageResult> Results,
    IReadOnlyList<CellFailure> Failures,
    int Blocked,
    bool KeepGoing,
    Exception? Failure,
    bool Cancelled,
    string? CancelReason,
    int CancelledExitCode,
    TimeSpan Elapsed,
    string RunLog);
