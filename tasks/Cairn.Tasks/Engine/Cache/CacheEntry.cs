namespace Cairn.Engine.Cache;

/// <summary>
/// An action-cache entry (<c>ac/FINGERPRINT</c>): the outputs a cell with that fingerprint built, each by its
/// workspace-relative path and the SHA-256 of its bytes (the blob's key under <c>cas/</c>), and the metrics it
/// reported. Written last, after every blob it names, so a reader never sees an entry whose blobs were not uploaded.
/// </summary>
internal sealed record CacheEntry
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;

    public required string Fingerprint { get; init; }

    public required string Stage { get; init; }

    public string? Partition { get; init; }

    public required IReadOnlyList<CacheEntryFile> Outputs { get; init; }

    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    /// <summary>The run that built the outputs, for a person reading the entry.</summary>
    public required string RunId { get; init; }

    public required string ToolVersion { get; init; }
}
