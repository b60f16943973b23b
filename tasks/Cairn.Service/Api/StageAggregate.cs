namespace Cairn.Service.Api;

/// <summary>
/// One stage in one run, summed from its cells: how many ran (succeeded or failed) and how long they took, how many
/// of those took at most each of <see cref="MetricsText.Buckets"/> seconds, attempts past the first, rows read by the
/// succeeded ones.
/// </summary>
internal sealed record StageAggregate(string Stage, long CellsRan, double DurationMs, IReadOnlyList<long> Buckets, long Retries, long Rows);
