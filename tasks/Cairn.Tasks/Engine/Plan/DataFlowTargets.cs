using Cairn.Engine.Configuration;

namespace Cairn.Engine.Plan;

/// <summary>
/// A target graph made from the data flow alone, for a host that has no DAG script of its own (the service): each
/// stage depends on the stages whose outputs it reads, as Cairn.cake's generated targets do.
/// </summary>
internal static class DataFlowTargets
{
    /// <exception cref="CairnUsageException">The data flow has a cycle or another problem.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Of(PipelineDefinition definition)
    {
        var flow = DataFlow.Of(definition);
        if (flow.Problems.Count > 0)
        {
            throw new CairnUsageException(flow.Problems);
        }

        return flow.Producers.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }
}
