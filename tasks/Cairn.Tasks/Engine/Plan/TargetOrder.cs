namespace Cairn.Engine.Plan;

/// <summary>
/// The fix for a Cake task that does not depend on the stage whose output it reads. Usually that is adding the
/// dependency; but when the producer's task already depends on the reader's (the two are in the wrong order), adding
/// it would make a cycle of Cake tasks, so the fix names the dependency to turn round.
/// </summary>
internal static class TargetOrder
{
    public static string Problem(string reader, string producer, IReadOnlyDictionary<string, IReadOnlyList<string>> targets)
    {
        var said = $"Stage '{reader}' reads what '{producer}' writes, but the Cake task '{reader}' does not depend on '{producer}'";
        if (PathOfDependencies(producer, reader, targets) is not { } path)
        {
            return $"{said}; add .IsDependentOn(\"{producer}\") to it in build/build.cake.";
        }

        // producer -> … -> reader: the last link is the one that makes the producer wait for its reader.
        var waiting = path[^2];
        var chain = string.Join(" -> ", path);
        return $"{said}: '{producer}' depends on '{reader}' instead ({chain}), the other way round, so adding it would make a cycle. In build/build.cake remove .IsDependentOn(\"{reader}\") from '{waiting}' and add .IsDependentOn(\"{producer}\") to '{reader}'.";
    }

    /// <summary>The tasks from <paramref name="from"/> along its dependencies to <paramref name="to"/>, both included; null when it does not depend on it.</summary>
    private static List<string>? PathOfDependencies(string from, string to, IReadOnlyDictionary<string, IReadOnlyList<string>> targets)
    {
        var cameFrom = new Dictionary<string, string>(StringComparer.Ordinal);
        var pending = new Queue<string>([from]);
        while (pending.Count > 0)
        {
            var task = pending.Dequeue();
            foreach (var dependency in targets.GetValueOrDefault(task) ?? [])
            {
                if (dependency == from || !cameFrom.TryAdd(dependency, task))
                {
                    continue;
                }

                if (dependency == to)
                {
                    var path = new List<string> { to };
                    for (var at = to; at != from; at = cameFrom[at])
                    {
                        path.Insert(0, cameFrom[at]);
                    }

                    return path;
                }

                pending.Enqueue(dependency);
            }
        }

        return null;
    }
}
