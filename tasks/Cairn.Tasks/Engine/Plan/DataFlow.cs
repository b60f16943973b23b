using Cairn.Engine.Configuration;

namespace Cairn.Engine.Plan;

/// <summary>
/// The data flow between the stages of a pipeline file, from the paths they read and write alone (no task is loaded):
/// which stages each one reads from, its cycles, and an order that follows it. Hosts make their targets' dependencies
/// from it, so the graph is written once, in the pipeline file.
/// </summary>
internal sealed class DataFlow
{
    private readonly Dictionary<(string Consumer, string Producer), string> _reads;

    private DataFlow(IReadOnlyDictionary<string, IReadOnlyList<string>> producers, Dictionary<(string Consumer, string Producer), string> reads, IReadOnlyList<string> problems)
    {
        Producers = producers;
        _reads = reads;
        Problems = problems;
    }

    /// <summary>Each stage's producers: the stages whose outputs it reads, in the order of its inputs.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Producers { get; }

    /// <summary>Every problem of the flow: outputs with two owners, and each cycle with its path.</summary>
    public IReadOnlyList<string> Problems { get; }

    public static DataFlow Of(PipelineDefinition pipeline)
    {
        var problems = new List<string>();
        var reads = new Dictionary<(string Consumer, string Producer), string>();
        var producers = pipeline.Stages.ToDictionary(s => s.Name, s => (IReadOnlyList<string>)ProducersOf(s, pipeline, reads, problems), StringComparer.Ordinal);
        var flow = new DataFlow(producers, reads, problems);
        foreach (var cycle in Cycles(producers))
        {
            var links = cycle.Zip(cycle.Skip(1), (producer, consumer) => $"{consumer} reads {reads[(consumer, producer)]}, which {producer} writes");
            problems.Add($"{pipeline.FilePath}: the data flow has a cycle, {string.Join(" -> ", cycle)}: {string.Join("; ", links)}. A stage cannot read, directly or through other stages, what it writes itself; change the paths so that the data flows one way.");
            flow.InCycles.UnionWith(cycle);
        }

        return flow;
    }

    /// <summary>The stages caught in a cycle.</summary>
    public ISet<string> InCycles { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The first input of <paramref name="consumer"/> that <paramref name="producer"/> writes.</summary>
    public string Reads(string consumer, string producer) => _reads[(consumer, producer)];

    /// <summary>Every stage after the stages it reads from, otherwise in pipeline order (the flow has no cycle).</summary>
    public static IReadOnlyList<T> Order<T>(IReadOnlyList<T> stages, Func<T, string> name, Func<T, IReadOnlyList<string>> producers)
    {
        var ordered = new List<T>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var pending = stages.ToList();
        while (pending.Count > 0)
        {
            var next = pending.FirstOrDefault(s => producers(s).All(placed.Contains)) ?? pending[0];
            ordered.Add(next);
            placed.Add(name(next));
            pending.Remove(next);
        }

        return ordered;
    }

    /// <summary>
    /// Each cycle as the stages along it, first stage repeated at the end (<c>Clean, Train, Clean</c>: Train reads
    /// what Clean writes and Clean what Train writes). One cycle per set of stages caught in one.
    /// </summary>
    private static List<IReadOnlyList<string>> Cycles(IReadOnlyDictionary<string, IReadOnlyList<string>> producers)
    {
        var consumers = producers.Keys.ToDictionary(s => s, s => producers.Where(c => c.Value.Contains(s)).Select(c => c.Key).ToList(), StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<IReadOnlyList<string>>();
        foreach (var start in producers.Keys)
        {
            Visit(start, [], consumers, done, cycles);
        }

        return cycles;
    }

    private static void Visit(string stage, List<string> path, Dictionary<string, List<string>> consumers, HashSet<string> done, List<IReadOnlyList<string>> cycles)
    {
        if (done.Contains(stage))
        {
            return;
        }

        var at = path.IndexOf(stage);
        if (at >= 0)
        {
            var cycle = path.Skip(at).Append(stage).ToList();
            if (!cycles.Any(c => c.Skip(1).ToHashSet(StringComparer.Ordinal).SetEquals(cycle.Skip(1))))
            {
                cycles.Add(cycle);
            }

            return;
        }

        path.Add(stage);
        foreach (var consumer in consumers[stage])
        {
            Visit(consumer, path, consumers, done, cycles);
        }

        path.RemoveAt(path.Count - 1);
        done.Add(stage);
    }

    /// <param name="stage">The stage whose producers to find.</param>
    /// <param name="pipeline">The pipeline it is part of.</param>
    /// <param name="reads">Gets, for each producer found, the first input of the stage it writes.</param>
    /// <param name="problems">Gets the problems found.</param>
    private static List<string> ProducersOf(StageDefinition stage, PipelineDefinition pipeline, Dictionary<(string Consumer, string Producer), string> reads, List<string> problems)
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
                    if ((string.Equals(produced, shape, StringComparison.Ordinal) || shape.StartsWith(produced + "/", StringComparison.Ordinal)) && !producers.Contains(other.Name))
                    {
                        producers.Add(other.Name);
                        reads[(stage.Name, other.Name)] = input.ToString();
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
}
