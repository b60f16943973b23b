namespace Cairn.Engine.Workspace;

/// <summary>The other runs a run found when it registered its claims: those alive now, and those that died holding claims.</summary>
/// <param name="Live">The run ids of the live runs.</param>
/// <param name="Dead">The run ids whose claims outlived their process (killed, crashed).</param>
internal sealed record ClaimPeers(IReadOnlySet<string> Live, IReadOnlyList<string> Dead)
{
    /// <summary>No other run is alive on the workspace: whatever runs left behind is nobody's now.</summary>
    public bool Alone => Live.Count == 0;
}
