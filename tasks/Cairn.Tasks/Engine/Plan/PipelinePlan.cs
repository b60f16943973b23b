using System.Reflection;
using Cairn.Engine.Configuration;
using Cairn.Engine.Model;
using Microsoft.Build.Framework;

namespace Cairn.Engine.Plan;

/// <summary>
/// A pipeline checked as a whole before anything runs: every stage's task found and its bindings matching the task's
/// declaration, the data flow between stages derived from their paths, and that flow agreeing with the target
/// graph Cake composes. Every problem is reported at once.
/// </summary>
internal sealed class PipelinePlan
{
    private PipelinePlan(PipelineDefinition definition, IReadOnlyList<StagePlan> stages, IReadOnlyList<string> dagEdges, IReadOnlyList<StagePlan> dataFlowOrder)
    {
        Definition = definition;
        Stages = stages;
        DagEdges = dagEdges;
        DataFlowOrder = dataFlowOrder;
    }

    public PipelineDefinition Definition { get; }

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

    public StagePlan Stage(string name) =>
        Stages.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal))
        ?? throw new CairnUsageException($"There is no stage '{name}' in {Definition.FilePath}. The stages are {string.Join(", ", Stages.Select(s => s.Name))}.");

    /// <param name="definition">The pipeline file as read.</param>
    /// <param name="targetGraph">Each Cake task's name and the names of the tasks it depends on.</param>
    public static PipelinePlan Build(PipelineDefinition definition, IReadOnlyDictionary<string, IReadOnlyList<string>> targetGraph)
    {
        var problems = new List<string>();
        var assembly = LoadAssembly(definition, problems);
        var described = new List<(StageDefinition Definition, StageDescriptor Descriptor)>();
        foreach (var stage in definition.Stages)
        {
            var type = assembly?.GetType(stage.TaskTypeName) ?? typeof(PipelinePlan).Assembly.GetType(stage.TaskTypeName);
            if (type is null)
            {
                if (assembly is not null)
                {
                    var known = assembly.GetTypes().Concat(typeof(PipelinePlan).Assembly.GetTypes())
                        .Where(t => typeof(ITask).IsAssignableFrom(t) && t.IsPublic && !t.IsAbstract)
                        .Select(t => t.FullName).Order(StringComparer.Ordinal);
                    problems.Add($"{definition.FilePath}: stage '{stage.Name}' names task '{stage.TaskTypeName}', which is in neither {assembly.GetName().Name} nor Cairn.Tasks. Stage tasks there: {string.Join(", ", known)}.");
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
        var stages = new List<StagePlan>();
        var reads = new Dictionary<(string Consumer, string Producer), string>();
        foreach (var (stage, descriptor) in described)
        {
            stages.Add(new StagePlan(stage, descriptor, Producers(stage, definition, reads, problems)));
        }

        var cycles = DataFlow.Cycles(stages);
        foreach (var cycle in cycles)
        {
            var links = cycle.Zip(cycle.Skip(1), (producer, consumer) => $"{consumer} reads {reads[(consumer, producer)]}, which {producer} writes");
            problems.Add($"{definition.FilePath}: the data flow has a cycle, {string.Join(" -> ", cycle)}: {string.Join("; ", links)}. A stage cannot read, directly or through other stages, what it writes itself; change the paths so that the data flows one way.");
        }

        CheckAgainstTargets(definition, stages.Where(s => !cycles.Any(c => c.Contains(s.Name))).ToList(), targetGraph, problems);
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

        return new PipelinePlan(definition, stages, edges, DataFlow.Order(stages));
    }

    private static Assembly? LoadAssembly(PipelineDefinition definition, List<string> problems)
    {
        var loaded = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => string.Equals(a.GetName().Name, definition.AssemblyName, StringComparison.Ordinal));
        if (loaded is not null)
        {
            return loaded;
        }

        var directory = Path.GetDirectoryName(typeof(PipelinePlan).Assembly.Location)!;
        var path = Path.Combine(directory, definition.AssemblyName + ".dll");
        if (!File.Exists(path))
        {
            problems.Add($"{definition.FilePath}: the stage assembly {definition.AssemblyName}.dll is not in {directory}; build it (./build.sh builds it) or fix 'assembly'.");
            return null;
        }

        return Assembly.LoadFrom(path);
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

        foreach (var property in descriptor.Properties.Where(p => p.Required && p.Kind != StagePropertyKind.Metric))
        {
            var bound = stage.Inputs.ContainsKey(property.Name) || stage.Outputs.ContainsKey(property.Name) || stage.Parameters.ContainsKey(property.Name);
            if (!bound)
            {
                problems.Add($"{Where()}: required {property.Kind.ToString().ToLowerInvariant()} '{property.Name}' is not bound; add it under {(property.Kind is StagePropertyKind.Parameter ? "parameters" : property.Kind is StagePropertyKind.Output or StagePropertyKind.OutputDirectory ? "outputs" : "inputs")}.");
            }
        }
    }

    /// <param name="stage">The stage whose producers to find.</param>
    /// <param name="pipeline">The pipeline it is part of.</param>
    /// <param name="reads">Gets, for each producer found, the first input of the stage it writes.</param>
    /// <param name="problems">Gets the problems found.</param>
    private static List<string> Producers(StageDefinition stage, PipelineDefinition pipeline, Dictionary<(string Consumer, string Producer), string> reads, List<string> problems)
    {
        var producers = new List<string>();
        foreach (var input in stage.Inputs.Values.SelectMany(t => t))
        {
            var shape = input.Shape;
            foreach (var other in pipeline.Stages.Where(s => s != stage))
            {
                foreach (var output in other.Outputs.Values)
                {
                    var produced = output.Shape;
                    if (string.Equals(produced, shape, StringComparison.Ordinal) || shape.StartsWith(produced + "/", StringComparison.Ordinal))
                    {
                        if (!producers.Contains(other.Name))
                        {
                            producers.Add(other.Name);
                            reads[(stage.Name, other.Name)] = input.ToString();
                        }
                    }
                }
            }
        }

        foreach (var output in stage.Outputs.Values)
        {
            foreach (var other in pipeline.Stages.Where(s => s != stage && s.Outputs.Values.Any(o => o.Shape == output.Shape)))
            {
                problems.Add($"{pipeline.FilePath}: stages '{stage.Name}' and '{other.Name}' both write {output}; give each output one owner.");
            }
        }

        return producers;
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
                problems.Add($"Stage '{stage.Name}' of {pipeline.FilePath} is not a Cake task; add Task(\"{stage.Name}\") to build/build.cake.");
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
