namespace Cairn.Tests.Engine;

public sealed class CancellationTests
{
    [Fact]
    public void A_cell_past_its_stage_timeout_is_cancelled_and_nothing_of_it_is_recorded()
    {
        using var h = Slow(s => s.Timeout("300ms"));

        var run = h.Run("--parallelism=1");

        run.ExitCode.ShouldBe(1);
        run.Failure!.Message.ShouldBe("Stage 'Slow' failed for date=2013-05-01: timed out after 300 ms (log: logs/date=2013-05-01/Slow.log)");
        File.Exists(h.WorkspaceFile("data/slow/date=2013-05-01/out.txt")).ShouldBeFalse();
        File.Exists(h.Checkpoint("Slow", "2013-05-01")).ShouldBeFalse();
        File.ReadAllText(h.WorkspaceFile("logs/date=2013-05-01/Slow.log")).ShouldContain("timed out after 300 ms; asking the task to stop");
    }

    [Fact]
    public void A_timeout_is_transient_and_retried()
    {
        using var h = Slow(s => s.Timeout("200ms").Retry(2, "10ms"));

        var run = h.Run("--parallelism=1");

        run.Output.ShouldContain("Slow date=2013-05-01: attempt 2/2 after ");
        run.Failure!.Message.ShouldBe("Stage 'Slow' failed for date=2013-05-01 after 2 attempts: timed out after 200 ms (log: logs/date=2013-05-01/Slow.log)");
    }

    [Fact]
    public void Cancelling_the_run_stops_the_running_cells_discards_their_outputs_and_records_the_run_as_cancelled()
    {
        using var h = Slow(_ => { });

        var run = h.RunCancellingWhenACellStarts();

        run.Failure.ShouldBeOfType<OperationCanceledException>();
        run.ExitCode.ShouldBe(1, "without a signal the session's cancelled exit code stays 1; Ctrl+C makes it 130 and SIGTERM 143");
        run.Output.ShouldContain("cancelled: cancelled by the test; the running cells' outputs were discarded and nothing of them recorded");
        Directory.Exists(h.WorkspaceFile("checkpoints")).ShouldBeFalse();
        Directory.Exists(h.WorkspaceFile("data/slow")).ShouldBeFalse();
        Directory.EnumerateFiles(h.WorkspaceFile(".cairn/staging"), "*", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    [Fact]
    public void The_runs_timeout_cancels_it_and_fails_it_naming_the_limit()
    {
        using var h = Slow(_ => { });

        var run = h.Run("--timeout=400ms");

        run.ExitCode.ShouldBe(1);
        run.Output.ShouldContain("cancelled: the run's --timeout of 400 ms ran out");
        Directory.Exists(h.WorkspaceFile("checkpoints")).ShouldBeFalse();
    }

    /// <summary>Slow: per day, a <see cref="TestStages.TestStage"/> that works 30 s unless stopped, over two days.</summary>
    private static EngineHarness Slow(Action<StageYaml> configure)
    {
        var h = new EngineHarness(new PipelineYaml().Stage("Slow", "TestStage", s => configure(s.CopiesEachDay("data/slow/date={date}/out.txt").Parameter("Fault", "slow").Parameter("Seconds", 30))), ("Slow", []));
        h.WriteRaw("2013-05-01", "row\n");
        h.WriteRaw("2013-05-02", "row\n");
        return h;
    }
}
