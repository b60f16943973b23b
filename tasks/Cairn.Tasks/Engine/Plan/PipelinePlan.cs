using Cairn.Engine.Configuration;
using Cairn.Engine.Model;
using Microsoft.Build.Framework;

namespace Cairn.Engine.Plan;

/// <summary>
/// A pipeline checked as a whole before anything runs: every stage's task found and its bindings matching the task's
/// declaration, the data flow between stages derived from their paths, and that flow agreeing with the target
/// graph the host composes (made from that flow by Cairn's hosts). Every problem is reported at once.
/// </summary>
internal sealed class PipelinePlan
{
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _targetGraph;

    private PipelinePlan(PipelineDefinition definition, IReadOnlyList<StagePlan> stages, IReadOnlyList<string> dagEdges, IReadOnlyList<StagePlan> dataFlowOrder, IReadOnlyDictionary<string, IReadOnlyList<string>> targetGraph)
    {
        _targetGraph = targetGraph;
        Definition = definition;
        Stages = stages;
        DagEdges = dagEdges;
        DataFlowOrder = dataFlowOrder;
    }

    public PipelineDefinition Definition { get; }

    /// <summary>The host's targets, each with the targets it depends on, as the host gave them.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> TargetGraph => _targetGraph;

    public IReadOnlyList<StagePlan> Stages { get; }

    /// <summary>The target graph's edges between stages, <c>Upstream-&gt;Downstream</c>, in pipeline order.</summary>
    public IReadOnlyList<string> DagEdges { get; }

    /// <summary>Every stage after the stages whose outputs it reads, otherwise in pipeline order.</summary>
    public IReadOnlyList<StagePlan> DataFlowOrder { get; }

    /// <summary>
    /// The workspace folders the stages write into, relative to the workspace, each as deep as its outputs' paths are
    /// fixed (<c>data/ingested</c> for <c>data/ingested/date={date}/weather.csv</c>; a directory output itself), none
    /// inside another; <c>""</c> when an output lies at the workspace's top.
    /// </summary>
    public IReadOnlyList<string> OutputFolders
    {
        get
        {
            var folders = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var stage in Stages)
            {
                foreach (var (property, template) in stage.Definition.Outputs)
                {
                    var segments = template.Relative.Split('/');
                    var folder = stage.DirectoryOutputs.Contains(property) ? segments : segments[..^1];
                    folders.Add(string.Join('/', folder.TakeWhile(s => !s.Contains('{', StringComparison.Ordinal))));
                }
            }

            return folders.Where(f => f.Length == 0 || !folders.Any(o => o.Length > 0 && f.StartsWith(o + "/", StringComparison.Ordinal))).ToList();
        }
    }

    /// <summary>The stages a run of the target runs: the target itself if it is a stage, and every stage it depends on; every stage for a target the graph does not know.</summary>
    public IReadOnlySet<string> StagesOf(string target)
    {
        if (!_targetGraph.ContainsKey(target))
        {
            return Stages.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([target]);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (seen.Add(next))
            {
                foreach (var dependency in _targetGraph.GetValueOrDefault(next) ?? [])
                {
                    pending.Push(dependency);
                }
            }
        }

        return Stages.Where(s => seen.Contains(s.Name)).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every stage whose outputs reach one of the stages, directly or through other stages.</summary>
    public HashSet<string> Upstream(IEnumerable<string> stages)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(stages.SelectMany(s => Stage(s).Producers));
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (seen.Add(next))
            {
                foreach (var producer in Stage(next).Producers)
                {
                    pending.Push(producer);
                }
            }
        }

        return seen;
    }

    public StagePlan Stage(string name) =>
        Stages.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal))
        ?? throw new CairnUsageException($"There is no stage '{name}' in {Definition.FilePath}. The stages are {string.Join(", ", Stages.Select(s => s.Name))}.");

    /// <param name="definition">The pipeline file as read.</param>
    /// <param name="targetGraph">Each of the host's targets and the names of the targets it depends on.</param>
    public static PipelinePlan Build(PipelineDefinition definition, IReadOnlyDictionary<string, IReadOnlyList<string>> targetGraph)
    {
        var problems = new List<string>();
        var flow = DataFlow.Of(definition);
        var assembly = StageAssembly.Load(definition, problems);
        var unusable = definition.Assembly is not null && assembly is null;
        var described = new List<(StageDefinition Definition, StageDescriptor Descriptor)>();
        foreach (var stage in definition.Stages)
        {
            var type = assembly?.GetType(stage.TaskTypeName) ?? StageAssembly.Engine.GetType(stage.TaskTypeName);
            if (type is null)
            {
                if (!unusable)
                {
                    var known = (assembly?.GetTypes() ?? []).Concat(StageAssembly.Engine.GetTypes())
                        .Where(t => typeof(ITask).IsAssignableFrom(t) && t.IsPublic && !t.IsAbstract)
                        .Select(t => t.FullName).Order(StringComparer.Ordinal);
                    var searched = assembly is null ? "Cairn.Tasks (the pipeline names no 'assembly' of its own)" : $"neither {assembly.GetName().Name} nor Cairn.Tasks";
                    problems.Add($"{definition.FilePath}: stage '{stage.Name}' names task '{stage.TaskTypeName}', which is in {searched}. Stage tasks there: {string.Join(", ", known)}.");
                }

                continue;
            }

            try
            {
                var descriptor = StageDescriptor.Describe(type);
                CheckBindings(definition, stage, descriptor, problems);
                described.Add((stage, descriptor));
            }
            catch (CairnConfigurationException e)
            {
                problems.Add(e.Message);
            }
        }

        OutputOverlaps.Check(definition, described, problems);
        problems.AddRange(flow.Problems);
        var stages = described.Select(d => new StagePlan(d.Definition, d.Descriptor, flow.Producers[d.Definition.Name])).ToList();
        CheckAgainstTargets(definition, stages.Where(s => !flow.InCycles.Contains(s.Name)).ToList(), targetGraph, problems);
        if (problems.Count > 0)
        {
            throw new CairnUsageException(problems);
        }

        var edges = new List<string>();
        foreach (var stage in stages)
        {
            if (targetGraph.TryGetValue(stage.Name, out var dependencies))
            {
                edges.AddRange(dependencies.Where(d => stages.Any(s => s.Name == d)).Select(d => $"{d}->{stage.Name}"));
            }
        }

        return new PipelinePlan(definition, stages, edges, DataFlow.Order(stages, s => s.Name, s => s.Producers), targetGraph);
    }

    private static void CheckBindings(PipelineDefinition pipeline, StageDefinition stage, StageDescriptor descriptor, List<string> problems)
    {
        string Where() => $"{pipeline.FilePath}: stage '{stage.Name}' ({descriptor.TaskType.Name})";
        string Names(IEnumerable<StageProperty> properties) => properties.Any() ? string.Join(", ", properties.Select(p => p.Name)) : "none";

        foreach (var (name, templates) in stage.Inputs)
        {
            var property = descriptor.Inputs.FirstOrDefault(p => p.Name == name);
            if (property is null)
            {
                problems.Add($"{Where()}: '{name}' is not a [StageInput] of the task; its inputs are {Names(descriptor.Inputs)}.");
            }
            else if (property.Kind == StagePropertyKind.Input && (templates.Count > 1 || templates[0].IsGlob || templates[0].UsesEach))
            {
                problems.Add($"{Where()}: input '{name}' is one file (string), so '{string.Join(", ", templates)}' cannot be a list, a wildcard or use {{each}}; make the property ITaskItem[] or bind one file.");
            }
        }

        foreach (var name in stage.Outputs.Keys.Where(n => !descriptor.Outputs.Any(p => p.Name == n)))
        {
            problems.Add($"{Where()}: '{name}' is not a [StageOutput] of the task; its outputs are {Names(descriptor.Outputs)}.");
        }

        if (stage.FanOut is { } fanOut && descriptor.Outputs.FirstOrDefault(p => p.Name == fanOut.Property) is { Kind: not StagePropertyKind.Output })
        {
            problems.Add($"{Where()}: stage fans out through '{fanOut.Property}', a directory output; make it a file output ([StageOutput] string), which the task is given as {fanOut.Folder}/{fanOut.Layout} and writes once per partition, replacing {{partition}}.");
        }

        foreach (var (name, value) in stage.Parameters)
        {
            var property = descriptor.Parameters.FirstOrDefault(p => p.Name == name);
            if (property is null)
            {
                problems.Add($"{value.Source}: '{name}' is not a [StageParameter] of {descriptor.TaskType.Name} (stage '{stage.Name}'); its parameters are {Names(descriptor.Parameters)}.");
                continue;
            }

            try
            {
                ParameterConverter.Convert(value, property.Info.PropertyType, stage.Partitioned ? "2000-01-01" : null, [], stage.Name, name);
            }
            catch (CairnConfigurationException e)
            {
                problems.Add(e.Message);
            }
        }

        if (stage.Retry.VaryParameter is { } vary)
        {
            var property = descriptor.Parameters.FirstOrDefault(p => p.Name == vary);
            if (property is null || (property.Info.PropertyType != typeof(int) && property.Info.PropertyType != typeof(long)))
            {
                problems.Add($"{Where()}: retry.vary names '{vary}', which is not a whole-number [StageParameter] of the task; its parameters are {Names(descriptor.Parameters)}.");
            }
            else if (!stage.Parameters.TryGetValue(vary, out var varied))
            {
                problems.Add($"{Where()}: retry.vary names '{vary}', which has no value; give it one under parameters.");
            }
            else if (VaryRange.Problem(stage, property.Info.PropertyType, varied) is { } range)
            {
                problems.Add(range);
            }
        }

        if (stage.Publish is { } publish)
        {
            var folders = descriptor.Outputs.Where(o => o.Kind == StagePropertyKind.OutputDirectory && stage.Outputs.ContainsKey(o.Name)).ToList();
            if (stage.Partitioned || folders.Count != 1)
            {
                problems.Add($"{Where()}: publish needs a stage of one cell with one directory output, whose folders are the versions; '{stage.Name}' has {(stage.Partitioned ? "a cell per partition" : $"{folders.Count} bound directory outputs")}.");
            }
            else if (stage.Outputs[folders[0].Name].Relative.TrimEnd('/') is var output
                && (output == publish.To || output.StartsWith(publish.To + "/", StringComparison.Ordinal) || publish.To.StartsWith(output + "/", StringComparison.Ordinal)))
            {
                problems.Add($"{Where()}: publish.to '{publish.To}' overlaps the output '{output}' it publishes from; the run replaces that output whole, so publish to a folder of its own, e.g. artifacts.");
            }
        }

        foreach (var property in descriptor.Properties.Where(p => p.Required && p.Kind != StagePropertyKind.Metric))
        {
            var bound = stage.Inputs.ContainsKey(property.Name) || stage.Outputs.ContainsKey(property.Name) || stage.Parameters.ContainsKey(property.Name);
            if (!bound)
            {
                problems.Add($"{Where()}: required {property.Kind.ToString().ToLowerInvariant()} '{property.Name}' is not bound; add it under {(property.Kind is StagePropertyKind.Parameter ? "parameters" : property.Kind is StagePropertyKind.Output or StagePropertyKind.OutputDirectory ? "outputs" : "inputs")}.");
            }
        }
    }

    private static void CheckAgainstTargets(PipelineDefinition pipeline, List<StagePlan> stages, IReadOnlyDictionary<string, IReadOnlyList<string>> targets, List<string> problems)
    {
        HashSet<string> Upstream(string task)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>([task]);
            while (pending.Count > 0)
            {
                foreach (var dependency in targets.GetValueOrDefault(pending.Pop()) ?? [])
                {
                    if (seen.Add(dependency))
                    {
                        pending.Push(dependency);
                    }
                }
            }

            return seen;
        }

        foreach (var stage in stages)
        {
            if (!targets.ContainsKey(stage.Name))
            {
                problems.Add($"Stage '{stage.Name}' of {pipeline.FilePath} is not a target of the host; a host makes one target per stage.");
                continue;
            }

            var upstream = Upstream(stage.Name);
            foreach (var producer in stage.Producers.Where(p => !upstream.Contains(p)))
            {
                problems.Add(TargetOrder.Problem(stage.Name, producer, targets));
            }
        }
    }
}
