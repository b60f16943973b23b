namespace Cairn.Engine.Governance;

/// <summary>
/// A person's review of a cell stopped at its gate: what breached, for which fingerprint (the cell's inputs,
/// parameters and code), and, once decided, who decided what, when and why.
/// </summary>
internal sealed record Review(string Id, string Stage, string? Partition, string Fingerprint, string RunId, DateTimeOffset RequestedAt, IReadOnlyList<string> Breaches)
{
    public ReviewStatus Status { get; init; } = ReviewStatus.Pending;

    public string? DecidedBy { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    public string? Reason { get; init; }

    public string Cell => Partition is null ? Stage : $"{Stage} {Partition}";

    /// <summary>"approved by alice at 2026-12-02 20:50:00Z: reason" (or rejected), for a decided review.</summary>
    public string Decision =>
        $"{Status.ToString().ToLowerInvariant()} by {DecidedBy} at {DecidedAt:yyyy-MM-dd HH:mm:ss}Z: {Reason}";
}
