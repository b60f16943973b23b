namespace Cairn.Stages.Common;

/// <summary>
/// One partition in <see cref="ValidationSummary"/>: its profile's counts (null when it has no profile), the rows
/// quarantined (null without a quarantine file), and each column's nulls and violations as text.
/// </summary>
internal sealed record PartitionValidation(long? Rows, long Nulls, long? RowsWithViolations, long Violations, long ReadErrors, long? Quarantined, IReadOnlyList<string> Problems)
{
    /// <summary>A partition known only from its quarantine file.</summary>
    public static PartitionValidation Missing { get; } = new(null, 0, null, 0, 0, null, []);
}
