namespace Cairn.Engine.Observing;

/// <summary>One attempt of one cell ended, successfully or not.</summary>
internal sealed record CellFinished(
    string RunId,
    string Stage,
    string? Partition,
    int Attempt,
    bool Succeeded,
    string? Failure,
    string Reason,
    string Fingerprint,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    IReadOnlyDictionary<string, double> Metrics);
