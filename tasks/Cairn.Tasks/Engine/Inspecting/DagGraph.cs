using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Cairn.Engine.Plan;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Inspecting;

/// <summary>
/// The pipeline's DAG as files: Mermaid (<c>reports/dag.mmd</c>), Graphviz DOT (<c>reports/dag.dot</c>), and SVG
/// (<c>reports/dag.svg</c>) rendered by Graphviz's <c>dot</c> when it is installed. Each node names the stage, its
/// task and whether it runs per partition; each edge is data flow (the stage reads what the other writes). A file
/// whose content did not change keeps its timestamp.
/// </summary>
internal static class DagGraph
{
    public static string Mermaid(PipelinePlan plan)
    {
        var text = new StringBuilder();
        text.Append("flowchart LR\n");
        foreach (var stage in plan.Stages)
        {
            text.Append("  ").Append(stage.Name).Append("[\"").Append(stage.Name).Append("<br/>").Append(Caption(stage)).Append("\"]\n");
        }

        foreach (var (from, to) in Edges(plan))
        {
            text.Append("  ").Append(from).Append(" --> ").Append(to).Append('\n');
        }

        return text.ToString();
    }

    public static string Dot(PipelinePlan plan)
    {
        var text = new StringBuilder();
        text.Append("digraph \"").Append(Escape(plan.Definition.Name)).Append("\" {\n");
        text.Append("  rankdir=LR;\n");
        text.Append("  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
        foreach (var stage in plan.Stages)
        {
            text.Append("  \"").Append(Escape(stage.Name)).Append("\" [label=\"").Append(Escape(stage.Name)).Append("\\n").Append(Escape(Caption(stage))).Append("\"];\n");
        }

        foreach (var (from, to) in Edges(plan))
        {
            text.Append("  \"").Append(Escape(from)).Append("\" -> \"").Append(Escape(to)).Append("\";\n");
        }

        text.Append("}\n");
        return text.ToString();
    }

    /// <summary>Writes the files and returns their workspace-relative paths, and a note when SVG could not be made.</summary>
    public static (IReadOnlyList<string> Written, string? Note) Write(PipelinePlan plan, WorkspaceLayout layout)
    {
        var reports = Path.Combine(layout.Root, "reports");
        var mermaid = Path.Combine(reports, "dag.mmd");
        var dot = Path.Combine(reports, "dag.dot");
        AtomicFile.WriteAllTextIfChanged(mermaid, Mermaid(plan));
        AtomicFile.WriteAllTextIfChanged(dot, Dot(plan));
        var written = new List<string> { layout.Relative(mermaid), layout.Relative(dot) };
        var (svg, problem) = RenderSvg(dot);
        if (svg is not null)
        {
            var path = Path.Combine(reports, "dag.svg");
            AtomicFile.WriteAllTextIfChanged(path, svg);
            written.Add(layout.Relative(path));
        }

        return (written, problem);
    }

    private static (string? Svg, string? Problem) RenderSvg(string dotFile)
    {
        var start = new ProcessStartInfo("dot")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-Tsvg");
        start.ArgumentList.Add(dotFile);
        try
        {
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync();
            var svg = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0
                ? (svg, null)
                : (null, $"Graphviz dot failed (exit {process.ExitCode}): {errors.Result.Trim()}; reports/dag.svg was not written.");
        }
        catch (Win32Exception)
        {
            return (null, "Graphviz is not installed, so reports/dag.svg was not made; install it (apt-get install graphviz, brew install graphviz) for the SVG.");
        }
    }

    private static string Caption(StagePlan stage) => $"{stage.Descriptor.TaskType.Name} · {(stage.Definition.Partitioned ? "per day" : "all days")}";

    /// <summary>The data flow: an edge from each stage to every stage that reads what it writes.</summary>
    private static IEnumerable<(string From, string To)> Edges(PipelinePlan plan) =>
        plan.Stages.SelectMany(stage => stage.Producers.Select(producer => (producer, stage.Name)));

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
