namespace Cairn.Engine.Runs;

/// <summary>A run's validated arguments.</summary>
internal sealed record RunOptions(
    string Target,
    IReadOnlyList<string> Partitions,
    string RawDirectory,
    bool RawIsDefaultLandingZone,
    string WorkspaceDirectory,
    bool ForceAll,
    IReadOnlySet<string> ForcedStages,
    string Environment,
    IReadOnlyDictionary<string, string> Arguments)
{
    public bool IsForced(string stage) => ForceAll || ForcedStages.Contains(stage);
}
