namespace Cairn.Engine.Observing;

/// <summary>
/// One finished cell as its <c>cell_run_log</c> row holds it: the values only, with the metrics already in their JSON
/// column, so a batch the run log keeps for the rest of the run does not keep the cell's dictionary of metrics.
/// </summary>
internal readonly record struct FinishedCellRow(
    string RunId,
    string Stage,
    string Partition,
    int Attempt,
    string Reason,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    long? RowsIn,
    long? RowsOut,
    long? RowsQuarantined,
    string Metrics,
    string Fingerprint,
    string? ContractVersion,
    string? RestoredFrom,
    double TaskMs);
