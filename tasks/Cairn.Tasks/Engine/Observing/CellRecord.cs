namespace Cairn.Engine.Observing;

/// <summary>
/// One attempt of one cell in a run. Partition is null for a whole-dataset cell. Status: skipped, pending (decided to
/// run, not finished: the run is still going or died), succeeded, failed. Fingerprint is null for a skipped cell of a
/// run that logged its skipped cells per stage (its checkpoint holds it).
/// </summary>
internal sealed record CellRecord(
    string Stage,
    string? Partition,
    int Attempt,
    string Decision,
    string Reason,
    string Status,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double? DurationMs,
    long? RowsIn,
    long? RowsOut,
    long? RowsQuarantined,
    string? Metrics,
    string? Fingerprint)
{
    /// <summary>The cell as people read it, <c>Ingest date=2013-05-03</c>, by the pipeline's partition key.</summary>
    /// <summary>The shared cache the cell was restored from instead of running (its address); null for a cell that ran here, or one recorded before Cairn logged it.</summary>
    public string? RestoredFrom { get; init; }

    /// <summary>The cell's status as History shows it: <c>restored</c> for a cell restored from the shared cache, else <see cref="Status"/>.</summary>
    public string Shown => RestoredFrom is not null && Status == "succeeded" ? "restored" : Status;

    public string Label(string partitionKey) => Partition is null ? Stage : $"{Stage} {partitionKey}={Partition}";
}
