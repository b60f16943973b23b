using Cairn.Engine.Plan;

namespace Cairn;

/// <summary>What a host in this repository (the service) reads of an open session besides its steps.</summary>
public sealed partial class CairnSession
{
    /// <summary>The validated arguments: workspace, landing zone, selected partitions.</summary>
    internal RunOptions Options => _options;

    /// <summary>The checked pipeline.</summary>
    internal PipelinePlan Plan => _plan;

    /// <summary>The run's id once a run has begun; null for a target that runs no stage.</summary>
    internal string? RunId => _run?.RunId;
}
