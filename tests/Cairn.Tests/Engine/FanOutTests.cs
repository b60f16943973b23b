namespace Cairn.Tests.Engine;

/// <summary>
/// Issue 11, item 2: a stage that fans out (<c>fans_out: true</c>) as the engine plans and runs it: what the pipeline
/// file may say, and what the stage may write. <see cref="CommandLine.FanOutCommandLineTests"/> run it through
/// <c>./build.sh</c>.
/// </summary>
public sealed class FanOutTests
{
    [Theory]
    [InlineData("day", "partitioned: true\n    ", "landing/date={partition}/part.csv", "stage 'Land' fans out, so it is one cell that writes every partition; remove partitioned: true.")]
    [InlineData("none", "", "landing/part.csv", "stage 'Land' fans out, but the pipeline declares partitions: grain: none; declare the grain of the partitions it writes (partitions: { key: date, grain: day }), or remove fans_out.")]
    [InlineData("day", "", "landing/part.csv", "stage 'Land' fans out, so exactly one of its outputs names {partition}, the folder it writes the partitions into (e.g. Landing: \"data/landed/date={partition}/part.csv\"); it has 0.")]
    [InlineData("day", "", "landing/day={partition}/part.csv", "stage 'Land' fans out, so its output 'Output: landing/day={partition}/part.csv' must be a folder, then one partition folder date={partition}, then the file each partition holds, e.g. data/landed/date={partition}/part.csv; the partitions found there are the partitions of the stages that read it.")]
    [InlineData("day", "", "date={partition}/part.csv", "stage 'Land' fans out, so its output 'Output: date={partition}/part.csv' must be a folder, then one partition folder date={partition}")]
    public void A_fan_out_stage_the_engine_cannot_read_partitions_from_is_a_usage_error_naming_the_fix(string grain, string extra, string output, string problem)
    {
        using var h = new EngineHarness(Pipeline(grain, extra, output), ("Land", []), ("Copy", ["Land"]));
        h.Env.WriteFile("raw/source.csv", "day,value\n2024-03-01,1\n");

        var run = h.Run();

        run.UsageError.ShouldBeTrue(run.Output);
        run.Failure!.Message.ShouldContain(problem);
        Directory.Exists(h.Workspace).ShouldBeFalse();
    }

    [Fact]
    public void A_fan_out_stage_writing_a_key_not_of_the_grain_fails_its_cell_and_keeps_the_partitions_landed_before()
    {
        using var h = new EngineHarness(Pipeline("month", string.Empty, "landing/date={partition}/part.csv"), ("Land", []), ("Copy", ["Land"]));
        h.Env.WriteFile("raw/source.csv", "day,value\n2024-03-01,1\n2024-04-02,2\n");

        var good = h.Run().ShouldSucceed();
        h.Env.WriteFile("raw/source.csv", "day,value\n2024-03-01,1\n2024-04-02,2\n2024-0,3\n");
        var bad = h.Run();

        good.Lines.ShouldContain("Land: landing/ holds 2 partitions (2024-03 to 2024-04)");
        File.ReadAllText(h.WorkspaceFile("data/copy/date=2024-04/part.csv")).ShouldBe("DAY,VALUE\n2024-04-02,2\n");
        bad.Failure.ShouldNotBeNull(bad.Output);
        bad.Output.ShouldContain("Land fans out into landing/date={partition}/part.csv, but it wrote landing/date=2024-0/part.csv for the partition '2024-0', and '2024-0' is not a month in the form YYYY-MM;");
        Directory.GetDirectories(h.WorkspaceFile("landing")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["date=2024-03", "date=2024-04"]);
    }

    private static string Pipeline(string grain, string extra, string output) => $$"""
        name: test
        assembly: Cairn.Tests
        partitions:
          key: date
          grain: {{grain}}
        stages:
          Land:
            task: Cairn.Stages.Common.SplitByPartition
            fans_out: true
            {{extra}}inputs:
              Sources: "{raw}/*.csv"
            outputs:
              Output: "{{output}}"
            parameters:
              Column: day
              Grain: {{(grain == "none" ? "day" : grain)}}
          Copy:
            task: Cairn.Tests.Engine.TestStages.UpperCaseStage
            {{(grain == "none" ? "" : "partitioned: true\n    ")}}inputs:
              Sources: "{{(grain == "none" ? "landing/part.csv" : "landing/date={partition}/part.csv")}}"
            outputs:
              Output: "data/copy/{{(grain == "none" ? "" : "date={partition}/")}}part.csv"
        """;
}
