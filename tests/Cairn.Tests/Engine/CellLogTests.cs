using Cairn.Engine.Checkpoints;
using Cairn.Engine.Runs;
using Cairn.Engine.Workspace;

namespace Cairn.Tests.Engine;

/// <summary>
/// Where a cell's log goes: a partitioned cell that logged only the default lines into its stage's log of the run
/// (logs/runs/RUN/Stage.log, each line led by its partition), a failed cell and a whole-dataset cell into a file of
/// their own (logs/[date=…/]Stage.log); and reading a cell's last log back from either.
/// </summary>
public sealed class CellLogTests
{
    private static readonly string[] Days = ["2013-05-01", "2013-05-02", "2013-05-03"];

    [Fact]
    public void A_default_cell_writes_its_lines_to_the_stage_log_of_the_run_not_a_file_and_folder_of_its_own()
    {
        using var h = EngineHarness.TwoStages(Days);

        h.Run().ShouldSucceed();

        var runId = RunIds(h).ShouldHaveSingleItem();
        Directory.Exists(h.WorkspaceFile("logs/date=2013-05-01")).ShouldBeFalse("no folder per partition for logs");
        var stageLog = File.ReadAllLines(h.WorkspaceFile($"logs/runs/{runId}/Upper.log"));
        foreach (var day in Days)
        {
            var lines = stageLog.Where(l => l.StartsWith($"date={day} ", StringComparison.Ordinal)).ToList();
            lines.Count.ShouldBeGreaterThanOrEqualTo(3);
            lines[0].ShouldEndWith($"run {runId}: Upper date={day}: first run");
            lines[^1].ShouldContain(" succeeded in ");
        }

        stageLog.ShouldAllBe(l => l.StartsWith("date=2013-05-0", StringComparison.Ordinal));
        File.ReadAllText(h.WorkspaceFile("logs/Concat.log")).ShouldContain($"run {runId}: Concat: first run");

        var cell = StageLogs.ReadCell(Layout(h), Checkpoints(h), "Upper", "2013-05-02");
        cell.ShouldNotBeNull();
        cell.ShouldStartWith(cell[..12] + $" run {runId}: Upper date=2013-05-02: first run");
        cell.ShouldNotContain("2013-05-01");
        cell.ShouldContain(" input Sources $raw/date=2013-05-02/part.csv");
        StageLogs.ReadCell(Layout(h), Checkpoints(h), "Concat", null).ShouldNotBeNull().ShouldContain("Concat: first run");
        StageLogs.ReadCell(Layout(h), Checkpoints(h), "Upper", "2013-05-09").ShouldBeNull();
    }

    [Fact]
    public void A_failed_cell_keeps_its_own_log_until_it_succeeds_and_its_lines_go_to_the_stage_log()
    {
        using var h = new EngineHarness(PipelineYaml.Faulty("error"), ("Faulty", []));
        foreach (var day in Days)
        {
            h.WriteRaw(day, "row\n");
        }

        h.Run("--parallelism=1").Succeeded.ShouldBeFalse();
        var own = h.WorkspaceFile("logs/date=2013-05-02/Faulty.log");
        File.ReadAllText(own).ShouldContain("failed: CAIRN9901");
        File.Exists(h.WorkspaceFile("logs/date=2013-05-01/Faulty.log")).ShouldBeFalse("the day that succeeded logged only the default lines");
        StageLogs.ReadCell(Layout(h), Checkpoints(h), "Faulty", "2013-05-02").ShouldNotBeNull().ShouldContain("failed: CAIRN9901");

        h.SetPipeline(PipelineYaml.Faulty("none"));
        var before = RunIds(h);
        h.Run().ShouldSucceed();

        File.Exists(own).ShouldBeFalse("the failure is no longer the cell's last log");
        // Run ids of one second and process differ only in their random end: the new one is the one not there before.
        var latest = RunIds(h).Except(before).ShouldHaveSingleItem();
        var cell = StageLogs.ReadCell(Layout(h), Checkpoints(h), "Faulty", "2013-05-02");
        cell.ShouldNotBeNull();
        cell.ShouldContain($"run {latest}: Faulty date=2013-05-02: ");
        cell.ShouldContain(" succeeded in ");
        cell.ShouldNotContain("CAIRN9901");
    }

    private static List<string> RunIds(EngineHarness h) =>
        Directory.GetDirectories(h.WorkspaceFile("logs/runs")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();

    private static WorkspaceLayout Layout(EngineHarness h) => new(h.Workspace);

    private static CheckpointStore Checkpoints(EngineHarness h) => new(h.WorkspaceFile("checkpoints"));
}
