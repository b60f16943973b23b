using Cairn.Pipelines.Weather.Charts;

namespace Cairn.Pipelines.Weather;

/// <summary>Everything the report shows, read and checked before a line of it is written.</summary>
internal sealed record ReportInputs(
    RainModel Model,
    RainMetrics Metrics,
    int PartitionsProfiled,
    long RowsProfiled,
    long RowsWithViolations,
    IReadOnlyList<QuarantinedPartition> Quarantined,
    IReadOnlyList<DagEdge> Edges)
{
    /// <summary>What each stage did in the run that builds the report; none: the DAG is drawn without colours.</summary>
    public IReadOnlyList<StageRunState> States { get; init; } = [];

    /// <summary>Every model built in the workspace, oldest first, the current one last.</summary>
    public IReadOnlyList<MetricsHistoryEntry> History { get; init; } = [];

    /// <summary>The file names of the charts and the history beside the report; null for those not written.</summary>
    public string? RowsChartFile { get; init; }

    public string? MetricsChartFile { get; init; }

    public string? HistoryFile { get; init; }
}
