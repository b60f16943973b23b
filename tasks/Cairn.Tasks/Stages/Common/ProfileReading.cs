namespace Cairn.Stages.Common;

/// <summary>
/// What <see cref="ValidationSummary"/> read from one profile, before it is added to the totals: the partition's
/// counts and each column's (name, type when given, nulls, violations) in the profile's order; or why it could not.
/// </summary>
internal sealed record ProfileReading(PartitionValidation? Partition, IReadOnlyList<(string Name, string? Type, long Nulls, long Violations)> Columns, string? Problem);
