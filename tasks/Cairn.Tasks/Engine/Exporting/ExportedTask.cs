namespace Cairn.Engine.Exporting;

/// <summary>One task of an exported DAG: one target of the host, run alone (<c>--exclusive</c>).</summary>
/// <param name="Name">The target's name (a stage's, or a task of the build script's own that a stage waits for).</param>
/// <param name="Upstream">The exported tasks it waits for: the target's dependencies in the host's target graph.</param>
/// <param name="Command">The command the task runs, from the repository, with the orchestrator's placeholders for the range.</param>
internal sealed record ExportedTask(string Name, IReadOnlyList<string> Upstream, string Command);
