using Cairn.Engine.Configuration;
using Cairn.Engine.Partitions;
using Cairn.Service.Pipelines;

namespace Cairn.Service.Runs;

/// <summary>
/// A trigger asking for a run: which pipeline, target and partitions (keys at the grain of the pipeline's
/// <paramref name="Scheme"/>, which the queue compares them by when it merges two requests), with which extra
/// arguments, what asked (<c>schedule:nightly</c>, <c>api</c>) and why, an optional run token (one run per token), and
/// how to retry it.
/// </summary>
internal sealed record RunRequest(
    string Pipeline,
    string Target,
    string Trigger,
    string Detail,
    PartitionRange Partitions,
    PartitionScheme Scheme,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Arguments,
    RunRetryPolicy Retry)
{
    public string? Token { get; init; }
}
