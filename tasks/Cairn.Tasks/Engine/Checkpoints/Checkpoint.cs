using System.Text.Json.Serialization;

namespace Cairn.Engine.Checkpoints;

/// <summary>
/// The <c>.ok</c> record of one (stage, partition) cell: what was built from what. Written only after every
/// output is complete; its presence with a matching fingerprint and intact outputs is what lets a cell be skipped.
/// </summary>
internal sealed record Checkpoint
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;

    public required string Stage { get; init; }

    public string? Partition { get; init; }

    public required string Fingerprint { get; init; }

    public required string HashAlgorithm { get; init; }

    public required string CodeVersion { get; init; }

    /// <summary>Read lazily (<see cref="LazyCheckpointFiles"/>): a skipped cell never needs its inputs one by one.</summary>
    [JsonConverter(typeof(LazyCheckpointFilesConverter))]
    public required IReadOnlyList<CheckpointFile> Inputs { get; init; }

    public required IReadOnlyList<CheckpointFile> Outputs { get; init; }

    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    /// <summary>How many attempts the cell took (retries of transient failures).</summary>
    public int Attempts { get; init; } = 1;

    public required string RunId { get; init; }

    public required string Environment { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    public required double DurationMs { get; init; }

    public required string ToolVersion { get; init; }

    /// <summary>Where the outputs came from when the cell did not run here (<c>restored from cache URL</c>); absent for a cell that ran.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Restored { get; init; }

    /// <summary>
    /// The contract version the cell was built with: the content hash of the data contract it read, or that the stages
    /// upstream of it read (<c>path=hash; …</c> when there are several); absent when no contract reaches it.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ContractVersion { get; init; }

    /// <summary>The review whose approval let the cell pass its gate (<c>review_on:</c>); absent for a cell that passed on its own.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PassedByReview { get; init; }
}
