using Cairn.Engine.Runs;

namespace Cairn.Engine.Observing;

/// <summary>A run ended. Status is succeeded, failed or cancelled.</summary>
internal sealed record RunFinished(
    string RunId,
    string Status,
    string? Failure,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    IReadOnlyList<StageResult> Stages);
