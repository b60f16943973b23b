using Cairn.Engine.Observing;

namespace Cairn.Service.Api;

/// <summary>A run as the run log has it, with its stages summed; kept once the run has ended, since it no longer changes.</summary>
internal sealed record CachedRun(string Pipeline, RunRecord Record, IReadOnlyList<StageAggregate> Stages)
{
    public bool Ended => Record.Status is not ("running" or "incomplete");
}
