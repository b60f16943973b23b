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
    IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The contract version the cell was built with (its checkpoint's), or null when no contract reaches it.</summary>
    public string? ContractVersion { get; init; }

    /// <summary>True when the cell did not fail but is held for a person's approval of schema drift (it runs once approved).</summary>
    public bool Held { get; init; }

    /// <summary>
    /// How long the cell's task ran, over all its attempts; zero for a cell restored from the shared cache. The rest of
    /// the cell's time (binding, hashing, promoting outputs, its checkpoint) is Cairn's own.
    /// </summary>
    public TimeSpan TaskTime { get; init; }

    /// <summary>The shared cache the cell's outputs were restored from instead of running it (its address); null for a cell that ran.</summary>
    public string? RestoredFrom { get; init; }
}
