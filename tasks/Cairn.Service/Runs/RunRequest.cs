using Cairn.Engine.Configuration;
using Cairn.Service.Pipelines;

namespace Cairn.Service.Runs;

/// <summary>
/// A trigger asking for a run: which pipeline, target and partitions, with which extra arguments, what asked
/// (<c>schedule:nightly</c>, <c>api</c>) and why, an optional run token (one run per token), and how to retry it.
/// </summary>
internal sealed record RunRequest(
    string Pipeline,
    string Target,
    string Trigger,
    string Detail,
    PartitionRange Partitions,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Arguments,
    RunRetryPolicy Retry)
{
    public string? Token { get; init; }
}
