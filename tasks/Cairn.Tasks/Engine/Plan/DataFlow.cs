namespace Cairn.Engine.Plan;

/// <summary>The data flow between stages, from the paths they read and write: its cycles, and an order that follows it.</summary>
internal static class DataFlow
{
    /// <summary>
    /// Each cycle as the stages along it, first stage repeated at the end (<c>Clean, Train, Clean</c>: Train reads
    /// what Clean writes and Clean what Train writes). One cycle per set of stages caught in one.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> Cycles(IReadOnlyList<StagePlan> stages)
    {
        var consumers = stages.ToDictionary(s => s.Name, s => stages.Where(c => c.Producers.Contains(s.Name)).Select(c => c.Name).ToList(), StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<IReadOnlyList<string>>();
        foreach (var start in stages.Select(s => s.Name))
        {
            Visit(start, [], consumers, done, cycles);
        }

        return cycles;
    }

    /// <summary>Every stage after the stages it reads from, otherwise in pipeline order (the flow has no cycle).</summary>
    public static IReadOnlyList<StagePlan> Order(IReadOnlyList<StagePlan> stages)
    {
        var ordered = new List<StagePlan>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var pending = stages.ToList();
        while (pending.Count > 0)
        {
            var next = pending.FirstOrDefault(s => s.Producers.All(placed.Contains)) ?? pending[0];
            ordered.Add(next);
            placed.Add(next.Name);
            pending.Remove(next);
        }

        return ordered;
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
}
