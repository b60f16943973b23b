namespace Cairn.Tests.Reliability;

/// <summary>A run that completed, and the workspace it left.</summary>
/// <param name="Name">Which run, e.g. <c>completion #3 [Forced]</c>.</param>
/// <param name="RunId">The run's id, from its summary.</param>
/// <param name="State">The workspace right after the run.</param>
internal sealed record Completion(string Name, string? RunId, WorkspaceState State)
{
    public override string ToString() => $"{Name} ({RunId})";
}
