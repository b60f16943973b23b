namespace Cairn.Pipelines.Weather;

/// <summary>Everything the report shows, read and checked before a line of it is written.</summary>
internal sealed record ReportInputs(
    RainModel Model,
    RainMetrics Metrics,
    int PartitionsProfiled,
    long RowsProfiled,
    long RowsWithViolations,
    IReadOnlyList<QuarantinedPartition> Quarantined,
    IReadOnlyList<DagEdge> Edges);
