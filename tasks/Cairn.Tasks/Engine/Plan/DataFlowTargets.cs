using Cairn.Engine.Configuration;

namespace Cairn.Engine.Plan;

/// <summary>
/// A target graph made from the data flow alone, for a host that has no DAG script of its own (the service): each
/// stage depends on the stages whose outputs it reads. The plan's check against the targets then always agrees.
/// </summary>
internal static class DataFlowTargets
{
    /// <exception cref="CairnUsageException">The pipeline cannot be planned (a task not found, a binding, a cycle).</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Of(PipelineDefinition definition)
    {
        // Every stage may depend on every other: the plan's check that each producer is upstream of its consumer then
        // passes whatever the flow is, and the plan's producers are the flow itself.
        var everyOther = definition.Stages.ToDictionary(
            s => s.Name,
            s => (IReadOnlyList<string>)definition.Stages.Where(o => o.Name != s.Name).Select(o => o.Name).ToList(),
            StringComparer.Ordinal);
        var plan = PipelinePlan.Build(definition, everyOther);
        return plan.Stages.ToDictionary(s => s.Name, s => s.Producers, StringComparer.Ordinal);
    }
}
