namespace Cairn.Engine.Observing;

/// <summary>A cell stopped at its gate (<c>review_on:</c>) and a new review of it was filed.</summary>
internal sealed record ReviewRequested(
    string RunId,
    string ReviewId,
    string Stage,
    string? Partition,
    string Fingerprint,
    IReadOnlyList<string> Breaches,
    DateTimeOffset RequestedAt);
