namespace Cairn.Engine.Governance;

/// <summary>
/// A person's review of a cell stopped at its gate: what breached, for which fingerprint (the cell's inputs,
/// parameters and code), and, once decided, who decided what, when and why. A drift review (<see cref="Drift"/>) holds
/// a cell whose data drifted from an input file (its contract): the breaches are the changes, and approving it writes
/// the amended file.
/// </summary>
internal sealed record Review(string Id, string Stage, string? Partition, string Fingerprint, string RunId, DateTimeOffset RequestedAt, IReadOnlyList<string> Breaches)
{
    public ReviewStatus Status { get; init; } = ReviewStatus.Pending;

    /// <summary>For a review of schema drift, the input file's change it judges; null for a gate's review.</summary>
    public DriftAmendment? Drift { get; init; }

    public string? DecidedBy { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    public string? Reason { get; init; }

    public string Cell => Partition is null ? Stage : $"{Stage} {Partition}";

    /// <summary>"approved by alice at 2026-12-02 20:50:00Z: reason" (or rejected), for a decided review.</summary>
    public string Decision =>
        $"{Status.ToString().ToLowerInvariant()} by {DecidedBy} at {DecidedAt:yyyy-MM-dd HH:mm:ss}Z: {Reason}";
}
