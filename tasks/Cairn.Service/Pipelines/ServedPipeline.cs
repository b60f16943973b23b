using Cairn.Engine.Configuration;
using Cairn.Engine.Plan;

namespace Cairn.Service.Pipelines;

/// <summary>
/// One pipeline the service runs, checked by the engine at start: its file, the target graph made from its data flow,
/// its stages in data-flow order, where its workspace and landing zone are, and its schedules.
/// </summary>
internal sealed record ServedPipeline(
    string Name,
    string File,
    PipelineDefinition Definition,
    IReadOnlyDictionary<string, IReadOnlyList<string>> StageGraph,
    IReadOnlyList<StagePlan> Stages,
    string Workspace,
    string Raw,
    IReadOnlyDictionary<string, string> RunArguments)
{
    /// <summary>The target that runs every stage when no single stage needs all the others.</summary>
    public const string AllStages = "all";

    /// <summary>The target graph hosts give the engine: the stages, a target for all of them, and Status.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> TargetGraph
    {
        get
        {
            var graph = StageGraph.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
            graph.TryAdd(AllStages, Sinks);
            graph.TryAdd("Status", []);
            return graph;
        }
    }

    public IReadOnlyList<ScheduleDefinition> Schedules => Definition.Schedules;

    /// <summary>
    /// The target a run takes when none is named: the pipeline's <c>default_target</c>, as for a CLI run, else the stage
    /// every other stage feeds, or all stages.
    /// </summary>
    public string DefaultTarget =>
        IsTarget(Definition.DefaultTarget) ? Definition.DefaultTarget
        : Sinks.Count == 1 && Upstream(Sinks[0]).Count == Stages.Count ? Sinks[0] : AllStages;

    /// <summary>Stages no other stage reads from.</summary>
    public IReadOnlyList<string> Sinks => Stages.Where(s => !Stages.Any(o => o.Producers.Contains(s.Name))).Select(s => s.Name).ToList();

    /// <summary>The data flow's edges, <c>(producer, consumer)</c>.</summary>
    public IEnumerable<(string From, string To)> Edges => Stages.SelectMany(s => s.Producers.Select(p => (p, s.Name)));

    public bool IsTarget(string name) => name == AllStages || Stages.Any(s => s.Name == name);

    /// <summary>The target and every stage it needs, in data-flow order.</summary>
    public IReadOnlyList<string> Upstream(string target)
    {
        if (target == AllStages)
        {
            return Stages.Select(s => s.Name).ToList();
        }

        var needed = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([target]);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (needed.Add(next))
            {
                foreach (var producer in StageGraph.GetValueOrDefault(next) ?? [])
                {
                    pending.Push(producer);
                }
            }
        }

        return Stages.Where(s => needed.Contains(s.Name)).Select(s => s.Name).ToList();
    }
}
