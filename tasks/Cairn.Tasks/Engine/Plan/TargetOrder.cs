namespace Cairn.Engine.Plan;

/// <summary>
/// The fix for a stage's target that does not depend on the stage whose output it reads. A host makes that dependency
/// itself (Cairn.cake: one target per stage, from the data flow); but when a script's own dependency makes the
/// producer's target wait for the reader's (the two are in the wrong order), the fix names that dependency to remove.
/// </summary>
internal static class TargetOrder
{
    public static string Problem(string reader, string producer, IReadOnlyDictionary<string, IReadOnlyList<string>> targets)
    {
        var said = $"Stage '{reader}' reads what '{producer}' writes, but the target '{reader}' does not depend on '{producer}'";
        if (PathOfDependencies(producer, reader, targets) is not { } path)
        {
            return $"{said}; a host makes each stage's target depend on the stages it reads from.";
        }

        // producer -> … -> reader: the last link is the one that makes the producer wait for its reader.
        var waiting = path[^2];
        var chain = string.Join(" -> ", path);
        return $"{said}: '{producer}' depends on '{reader}' instead ({chain}), the other way round, so adding it would make a cycle. Remove .IsDependentOn(\"{reader}\") from '{waiting}' in the build script; Cairn then runs '{producer}' before '{reader}'.";
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
