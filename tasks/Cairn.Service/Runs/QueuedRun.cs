using Cairn.Service.Pipelines;

namespace Cairn.Service.Runs;

/// <summary>
/// One attempt of a requested run as the service's queue holds it (<c>cairn_runs</c>). Its id is the run's id in the
/// run log once it starts. Status: queued, running, succeeded, failed, cancelled (the service stopped it), crashed
/// (the service died while it ran), refused (the engine would not start it: a usage error).
/// </summary>
internal sealed record QueuedRun(
    string Id,
    string FirstId,
    string Pipeline,
    string Target,
    string Trigger,
    string Detail,
    PartitionRange Partitions,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Arguments,
    string? Token,
    int Attempt,
    int MaxAttempts,
    TimeSpan RetryDelay,
    TimeSpan RetryMaxDelay,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset NotBefore,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Failure,
    string? RetriedBy);
