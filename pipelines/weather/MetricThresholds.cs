namespace Cairn.Pipelines.Weather;

/// <summary>The quality gates of the Evaluate stage as written to metrics.json (from config/evaluate.yaml).</summary>
internal sealed record MetricThresholds
{
    public required double MinAccuracy { get; init; }

    public required double MinAuc { get; init; }

    public required double MaxLogLoss { get; init; }
}
