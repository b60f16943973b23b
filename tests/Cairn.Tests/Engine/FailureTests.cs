namespace Cairn.Tests.Engine;

public sealed class FailureTests
{
    [Theory]
    [InlineData("error", "CAIRN9901: the test stage was told to fail")]
    [InlineData("false", "Execute returned false without logging an error")]
    [InlineData("throw", "InvalidDataException: the test stage threw")]
    public void Failing_cell_stops_the_run_names_stage_partition_and_cause_and_writes_no_checkpoint(string mode, string cause)
    {
        using var h = Faulty(mode);

        var run = h.Run("--parallelism=1");

        run.Succeeded.ShouldBeFalse();
        run.Failure!.Message.ShouldBe($"Stage 'Faulty' failed for date=2013-05-02: {cause} (log: logs/date=2013-05-02/Faulty.log)");
        File.Exists(h.Checkpoint("Faulty", "2013-05-01")).ShouldBeTrue();
        File.Exists(h.Checkpoint("Faulty", "2013-05-02")).ShouldBeFalse();
        File.Exists(h.Checkpoint("Faulty", "2013-05-03")).ShouldBeFalse("fail-fast: the day after the failure is not run");
        File.Exists(h.WorkspaceFile("data/out/date=2013-05-02/out.txt")).ShouldBeFalse("a failed cell's output is never promoted");
        Directory.EnumerateFileSystemEntries(h.WorkspaceFile(".cairn/staging"), "*", SearchOption.AllDirectories).Where(File.Exists).ShouldBeEmpty();
        File.ReadAllText(h.WorkspaceFile("logs/date=2013-05-02/Faulty.log")).ShouldContain("failed:");
    }

    [Fact]
    public void A_thrown_exception_is_kept_as_the_inner_exception()
    {
        using var h = Faulty("throw");

        var run = h.Run();

        run.Failure!.InnerException.ShouldBeOfType<InvalidDataException>();
    }

    [Fact]
    public void Failed_cell_keeps_the_previous_complete_result_and_reruns_once_fixed()
    {
        using var h = Faulty("none");
        h.Run().ShouldSucceed();
        h.WriteRaw("2013-05-02", "new content\n");
        h.SetPipeline(PipelineYaml.Faulty("error"));

        h.Run().Succeeded.ShouldBeFalse();
        File.ReadAllText(h.WorkspaceFile("data/out/date=2013-05-02/out.txt")).ShouldBe("row\n");

        h.SetPipeline(PipelineYaml.Faulty("none"));
        var run = h.Run().ShouldSucceed();
        run.Output.ShouldContain("Faulty date=2013-05-02: run, input changed: $raw/date=2013-05-02/part.csv");
        File.ReadAllText(h.WorkspaceFile("data/out/date=2013-05-02/out.txt")).ShouldBe("new content\n");
    }

    [Fact]
    public void Input_changed_while_the_stage_ran_fails_the_cell_naming_the_file()
    {
        using var h = Faulty("touch-input");

        var run = h.Run();

        run.Failure!.Message.ShouldBe("Stage 'Faulty' failed for date=2013-05-02: input kept changing while the stage ran: $raw/date=2013-05-02/part.csv; nothing was recorded (log: logs/date=2013-05-02/Faulty.log)");
        File.Exists(h.Checkpoint("Faulty", "2013-05-02")).ShouldBeFalse();
    }

    [Fact]
    public void Missing_upstream_input_fails_naming_the_stage_that_writes_it()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.Run().ShouldSucceed();
        File.Delete(h.WorkspaceFile("data/upper/date=2013-05-01/upper.txt"));

        var run = h.RunExclusive("Concat");

        run.Failure!.Message.ShouldBe("Stage 'Concat' cannot run: its input Parts = data/upper/date=2013-05-01/upper.txt does not exist. It is written by 'Upper'; run a target that includes it (without --exclusive).");
    }

    [Fact]
    public void An_old_input_changed_while_the_stage_ran_is_caught_by_its_stat()
    {
        using var h = Faulty("touch-input");
        h.FileClock = new Performance.ClockAhead(TimeSpan.FromSeconds(2.2)); // past the racy window: the post-run check trusts an unchanged stat

        var run = h.Run();

        run.Failure!.Message.ShouldBe("Stage 'Faulty' failed for date=2013-05-02: input kept changing while the stage ran: $raw/date=2013-05-02/part.csv; nothing was recorded (log: logs/date=2013-05-02/Faulty.log)");
        File.Exists(h.Checkpoint("Faulty", "2013-05-02")).ShouldBeFalse();
    }

    private static EngineHarness Faulty(string mode)
    {
        var h = new EngineHarness(PipelineYaml.Faulty(mode), ("Faulty", []));
        foreach (var day in new[] { "2013-05-01", "2013-05-02", "2013-05-03" })
        {
            h.WriteRaw(day, "row\n");
        }

        return h;
    }
}
