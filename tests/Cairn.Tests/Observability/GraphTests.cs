using Cairn.Tests.Engine;
using Cairn.Tests.Performance;
using Cairn.Tests.Support;

namespace Cairn.Tests.Observability;

public sealed class GraphTests
{
    private const string DotMissing = "needs Graphviz's dot: apt-get install graphviz";
    private static readonly string[] Files = ["dag.mmd", "dag.dot", "dag.svg"];

    private static bool DotInstalled => Processes.Run("/bin/sh", ["-c", "command -v dot"], Repository.Root).ExitCode == 0;

    [Fact]
    public void Graph_writes_the_data_flow_as_mermaid_and_dot_and_claims_an_svg_only_when_it_made_one()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");

        var output = Inspection.Run(h, s => s.Graph());

        output.ShouldStartWith("Graph: wrote reports/dag.mmd, reports/dag.dot");
        var svgMade = File.Exists(h.WorkspaceFile("reports/dag.svg"));
        svgMade.ShouldBe(DotInstalled, "dag.svg is made exactly when Graphviz is installed");
        var wrote = output.Split('\n')[0];
        wrote.Contains("reports/dag.svg", StringComparison.Ordinal).ShouldBe(svgMade, $"the files written include dag.svg only when it was written:\n{output}");
        if (!svgMade)
        {
            output.ShouldContain("Graphviz is not installed, so reports/dag.svg was not made; install it (apt-get install graphviz, brew install graphviz) for the SVG.");
        }

        File.ReadAllText(h.WorkspaceFile("reports/dag.mmd")).ShouldBe("""
            flowchart LR
              Upper["Upper<br/>UpperCaseStage · per day"]
              Concat["Concat<br/>ConcatStage · all days"]
              Upper --> Concat

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        File.ReadAllText(h.WorkspaceFile("reports/dag.dot")).ShouldBe("""
            digraph "test" {
              rankdir=LR;
              node [shape=box, style=rounded, fontname="Helvetica"];
              "Upper" [label="Upper\nUpperCaseStage · per day"];
              "Concat" [label="Concat\nConcatStage · all days"];
              "Upper" -> "Concat";
            }

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        Directory.Exists(h.WorkspaceFile("checkpoints")).ShouldBeFalse("Graph runs no stage");
    }

    [Fact]
    public void A_second_graph_leaves_the_unchanged_mermaid_and_dot_files_alone()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        Inspection.Run(h, s => s.Graph());
        // Aged, so a rewrite could not keep the same time by landing in the same clock tick.
        FileAges.Backdate(h.WorkspaceFile("reports"), TimeSpan.FromMinutes(5));
        var written = Files[..2].ToDictionary(f => f, f => File.GetLastWriteTimeUtc(h.WorkspaceFile("reports/" + f)));

        Inspection.Run(h, s => s.Graph());

        written.ShouldAllBe(w => File.GetLastWriteTimeUtc(h.WorkspaceFile("reports/" + w.Key)) == w.Value);
    }

    [SkippableFact]
    public void Graph_renders_svg_with_graphviz_and_leaves_unchanged_files_alone()
    {
        Skip.IfNot(DotInstalled, DotMissing);
        using var h = EngineHarness.TwoStages("2013-05-01");

        Inspection.Run(h, s => s.Graph()).ShouldStartWith("Graph: wrote reports/dag.mmd, reports/dag.dot, reports/dag.svg");
        var svg = h.WorkspaceFile("reports/dag.svg");
        File.ReadAllText(svg).ShouldContain("<svg");
        File.ReadAllText(svg).ShouldContain(">Concat</text>");
        var written = Files.ToDictionary(f => f, f => File.GetLastWriteTimeUtc(h.WorkspaceFile("reports/" + f)));

        Inspection.Run(h, s => s.Graph());

        written.ShouldAllBe(w => File.GetLastWriteTimeUtc(h.WorkspaceFile("reports/" + w.Key)) == w.Value);
    }
}
