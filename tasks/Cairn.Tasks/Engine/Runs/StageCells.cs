namespace Cairn.Engine.Runs;

/// <summary>
/// How the cells of a stage that were to run ended: how many succeeded, their metrics summed, the failed ones in
/// partition order (with the exception each failed with), and the exception that ended the stage early, if one did.
/// </summary>
internal sealed record StageCells(
    int Ran,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<CellFailure> Failures,
    IReadOnlyList<StageFailedException> Exceptions,
    Exception? Aborted)
{
    /// <summary>The partitions of the cells that ran and succeeded (restored from a cache included), in no order.</summary>
    public IReadOnlyCollection<string?> Succeeded { get; init; } = [];

    /// <summary>The partitions of the cells that were to run and did not succeed (failed, or not started after a failure).</summary>
    public IReadOnlyList<string?> NotSucceeded { get; init; } = [];

    /// <summary>The cells held for a person's review (schema drift) as they ran, in partition order; not failures.</summary>
    public IReadOnlyList<CellFailure> Held { get; init; } = [];
}
