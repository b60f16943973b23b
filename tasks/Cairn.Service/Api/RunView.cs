namespace Cairn.Service.Api;

/// <summary>A run as the API shows it: what the run log recorded, and what the service's queue adds (trigger, attempts).</summary>
internal sealed record RunView(
    string Id,
    string Pipeline,
    string Status,
    string Target,
    string? Trigger,
    string? Detail,
    string? Partitions,
    int? Attempt,
    int? MaxAttempts,
    string? FirstId,
    string? RetriedBy,
    DateTimeOffset? QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    double? DurationMs,
    int Cells,
    int Ran,
    int Skipped,
    int Failed,
    string? Failure,
    string? Environment,
    string? TriggeredBy,
    string? GitCommit);
