namespace Cairn.Tests.Engine;

public sealed class CodeChangeTests
{
    [Fact]
    public void Changing_a_stages_code_reruns_that_stage_only()
    {
        using var h = new EngineHarness(Pipeline("VersionOneStage"), ("Upper", []), ("Versioned", ["Upper"]));
        h.WriteRaw("2013-05-01", "x\n");
        h.Run().ShouldSucceed();

        h.SetPipeline(Pipeline("VersionTwoStage"));
        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Upper: skipped, up to date");
        run.Output.ShouldContain("Versioned: run, code changed");
        File.ReadAllText(h.WorkspaceFile("data/versioned.txt")).ShouldBe("v2:X\n");
    }

    // Two task types whose IL differs: the code version is what is under test, so one configurable stage will not do.
    private static PipelineYaml Pipeline(string versioned) =>
        new PipelineYaml()
            .Stage("Upper", "UpperCaseStage", s => s.Partitioned().Input("Sources", "{raw}/date={date}/*.csv").Output("Output", "data/upper/date={date}/upper.txt"))
            .Stage("Versioned", versioned, s => s.Input("Input", "data/upper/date=2013-05-01/upper.txt").Output("Output", "data/versioned.txt"));
}
