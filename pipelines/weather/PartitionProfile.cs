namespace Cairn.Pipelines.Weather;

/// <summary>The two counts the report reads from a Validate stage's per-partition profile JSON; other keys are ignored.</summary>
internal sealed record PartitionProfile
{
    public required long Rows { get; init; }

    public required long RowsWithViolations { get; init; }
}
