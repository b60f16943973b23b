namespace Cairn.Tests.Engine;

public sealed class CodeChangeTests
{
    private const string Pipeline = """
        name: test
        assembly: Cairn.Tests
        stages:
          Upper:
            task: Cairn.Tests.Engine.TestStages.UpperCaseStage
            partitioned: true
            inputs:
              Sources: "{raw}/date={date}/*.csv"
            outputs:
              Output: "data/upper/date={date}/upper.txt"
          Versioned:
            task: Cairn.Tests.Engine.TestStages.VERSION
            inputs:
              Input: "data/upper/date=2013-05-01/upper.txt"
            outputs:
              Output: "data/versioned.txt"
        """;

    [Fact]
    public void Changing_a_stages_code_reruns_that_stage_only()
    {
        using var h = new EngineHarness(Pipeline.Replace("VERSION", "VersionOneStage", StringComparison.Ordinal), ("Upper", []), ("Versioned", ["Upper"]));
        h.WriteRaw("2013-05-01", "x\n");
        h.Run().ShouldSucceed();

        h.SetPipeline(Pipeline.Replace("VERSION", "VersionTwoStage", StringComparison.Ordinal));
        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Upper: skipped, up to date");
        run.Output.ShouldContain("Versioned: run, code changed");
        File.ReadAllText(h.WorkspaceFile("data/versioned.txt")).ShouldBe("v2:X\n");
    }
}
