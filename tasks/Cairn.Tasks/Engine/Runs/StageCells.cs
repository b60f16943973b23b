namespace Cairn.Engine.Runs;

/// <summary>
/// How the cells of a stage that were to run ended: the partitions of those that succeeded (in no order), their
/// metrics summed, the failed ones in partition order (with the exception each failed with), and the exception that
/// ended the stage early, if one did.
/// </summary>
internal sealed record StageCells(
    IReadOnlyCollection<string?> Succeeded,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<CellFailure> Failures,
    IReadOnlyList<StageFailedException> Exceptions,
    Exception? Aborted)
{
    /// <summary>How many cells ran and succeeded (restored from a cache included).</summary>
    public int Ran => Succeeded.Count;

    /// <summary>The partitions of the cells that were to run and did not succeed (failed, or not started after a failure).</summary>
    public IReadOnlyList<string?> NotSucceeded { get; init; } = [];

    /// <summary>The cells held for a person's review (schema drift) as they ran, in partition order; not failures.</summary>
    public IReadOnlyList<CellFailure> Held { get; init; } = [];
}
