namespace Cairn.Engine.Observing;

/// <summary>A run began: what it is about to do.</summary>
internal sealed record RunStarted(
    string RunId,
    string Pipeline,
    string Environment,
    string Target,
    IReadOnlyDictionary<string, string> Arguments,
    IReadOnlyList<string> Partitions,
    string Workspace,
    string ToolVersion,
    DateTimeOffset StartedAt)
{
    /// <summary>The stage parameters set on the command line (<c>--set</c>), <c>Stage.Parameter</c> → canonical value.</summary>
    public IReadOnlyDictionary<string, string> ParameterOverrides { get; init; } = new Dictionary<string, string>();
}
