namespace Cairn.Tests.Reliability;

/// <summary>One kill that landed: when, in what, and the workspace it left.</summary>
/// <param name="Number">1-based, in the order of the kills.</param>
/// <param name="Episode">The episode the killed run belonged to.</param>
/// <param name="Delay">How long after the start of build.sh the tree was killed.</param>
/// <param name="EngineStart">How long after the start of build.sh the engine opened its run.</param>
/// <param name="Processes">How many processes the tree held.</param>
/// <param name="Landing">Where the run was: the stage it last printed about and the cells it had checkpointed.</param>
/// <param name="State">The workspace right after the kill.</param>
internal sealed record KillRecord(int Number, Episode Episode, TimeSpan Delay, TimeSpan EngineStart, int Processes, string Landing, WorkspaceState State)
{
    public override string ToString() =>
        FormattableString.Invariant($"kill #{Number} [{Episode}] at {Delay.TotalSeconds:0.000} s, {(Delay - EngineStart).TotalSeconds:0.000} s into the engine's run, {Processes} processes: {Landing}");
}
