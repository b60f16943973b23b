namespace Cairn.Engine.Runs;

/// <summary>
/// What a run did, for its closing table and outcome. <see cref="Partitions"/> is how many partitions the run selected,
/// null in a pipeline that declares none (<c>grain: none</c>), whose summary names no partition count.
/// </summary>
internal sealed record RunSummary(
    string RunId,
    string Environment,
    int? Partitions,
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
    string RunLog)
{
    /// <summary>Partitions outside the selection that a whole-dataset stage read as last built although they are stale.</summary>
    public IReadOnlyList<string> StaleOutside { get; init; } = [];

    /// <summary>The arguments that narrowed the selection; null when the run selected every partition.</summary>
    public string? SelectedBy { get; init; }

    /// <summary>The cells held for a person's review of schema drift (not failed); the run ends awaiting approval.</summary>
    public IReadOnlyList<CellFailure> Held { get; init; } = [];
}
