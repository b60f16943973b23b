using Cairn.Tests.Engine;
using Cairn.Tests.Support;

namespace Cairn.Tests.Observability;

public sealed class GraphTests
{
    private static readonly string[] Files = ["dag.mmd", "dag.dot", "dag.svg"];

    [Fact]
    public void Graph_writes_the_data_flow_as_mermaid_and_dot()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");

        var output = Inspection.Run(h, s => s.Graph());

        output.ShouldStartWith("Graph: wrote reports/dag.mmd, reports/dag.dot");
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
    public void Graph_renders_svg_with_graphviz_and_leaves_unchanged_files_alone()
    {
        Processes.Run("/bin/sh", ["-c", "command -v dot"], Repository.Root).ShouldExitWith(0);
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
