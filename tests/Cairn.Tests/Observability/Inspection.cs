using Cairn.Engine.Observing;
using Cairn.Tests.Engine;

namespace Cairn.Tests.Observability;

/// <summary>
/// Runs a target that runs no stage (Status, History, Health, Graph) against a harness's workspace, the way the Cake
/// script does: open the session with the arguments, call the command, capture what it printed.
/// </summary>
internal static class Inspection
{
    public static string Run(EngineHarness h, Action<CairnSession> command, params string[] arguments)
    {
        var parsed = arguments.Select(a => a.TrimStart('-').Split('=', 2)).ToDictionary(p => p[0], p => (IReadOnlyList<string>)[p.Length > 1 ? p[1] : string.Empty]);
        parsed.TryAdd("workspace", [h.Workspace]);
        parsed.TryAdd("raw", [h.Raw]);
        var output = new StringWriter();
        var graph = h.TargetGraph.ToDictionary(g => g.Key, g => g.Value);
        graph["Status"] = [];
        using var session = CairnSession.Open(h.Env.Root, "pipeline/pipeline.yaml", "Status", parsed, graph, output);
        command(session);
        session.Finish(null);
        return output.ToString();
    }

    public static string RunLog(EngineHarness h) => h.WorkspaceFile(".cairn/" + RunLogDatabase.FileName);
}
