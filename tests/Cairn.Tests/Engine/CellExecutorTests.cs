using Cairn.Engine.Checkpoints;
using Cairn.Engine.Hosting;
using Cairn.Engine.Plan;
using Cairn.Engine.Runs;
using Cairn.Engine.Scan;
using Cairn.Engine.Workspace;

namespace Cairn.Tests.Engine;

/// <summary>The executor alone: one cell's attempts against a real workspace, with no run around it (no lock, no run log, no scheduler).</summary>
public sealed class CellExecutorTests
{
    [Fact]
    public void A_successful_cell_is_promoted_then_checkpointed_with_what_it_was_built_from_and_leaves_no_staging()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        var cell = new OneCell(h, "Upper", "2013-05-01");

        var metrics = cell.Execute();

        metrics["Rows"].ShouldBe(1);
        File.ReadAllText(h.WorkspaceFile("data/upper/date=2013-05-01/upper.txt")).ShouldBe("ROW OF 2013-05-01!\n");
        var checkpoint = cell.Checkpoints.Read("Upper", "2013-05-01").Checkpoint.ShouldNotBeNull();
        checkpoint.Fingerprint.ShouldBe(cell.Decision.Fingerprint);
        checkpoint.RunId.ShouldBe("test-run");
        checkpoint.Inputs.ShouldHaveSingleItem().Path.ShouldBe("$raw/date=2013-05-01/part.csv");
        Directory.EnumerateFiles(h.WorkspaceFile(".cairn/staging"), "*", SearchOption.AllDirectories).ShouldBeEmpty();
        File.Exists(h.WorkspaceFile(".cairn/lock")).ShouldBeFalse("no run was opened around the cell");
    }

    [Fact]
    public void A_failed_cell_names_stage_partition_cause_and_log_and_promotes_and_records_nothing()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        var cell = new OneCell(h, "Upper", "2013-05-01");
        File.Delete(Path.Combine(h.Raw, "date=2013-05-01", "part.csv"));

        var failure = Should.Throw<StageFailedException>(cell.Execute);

        failure.Message.ShouldStartWith("Stage 'Upper' failed for date=2013-05-01: FileNotFoundException: ");
        failure.Message.ShouldEndWith(" (log: logs/date=2013-05-01/Upper.log)");
        failure.InnerException.ShouldBeOfType<FileNotFoundException>();
        File.Exists(h.WorkspaceFile("data/upper/date=2013-05-01/upper.txt")).ShouldBeFalse();
        cell.Checkpoints.Read("Upper", "2013-05-01").Exists.ShouldBeFalse();
        Directory.EnumerateFiles(h.WorkspaceFile(".cairn/staging"), "*", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    [Fact]
    public void A_task_that_succeeds_without_writing_its_output_fails_the_cell()
    {
        using var h = new EngineHarness(PipelineYaml.Faulty("no-output", failOn: "2013-05-01"), ("Faulty", []));
        h.WriteRaw("2013-05-01", "row\n");
        var cell = new OneCell(h, "Faulty", "2013-05-01");

        Should.Throw<StageFailedException>(cell.Execute).Message
            .ShouldBe("Stage 'Faulty' failed for date=2013-05-01: the task succeeded but did not write its output Output (data/out/date=2013-05-01/out.txt) (log: logs/date=2013-05-01/Faulty.log)");
        cell.Checkpoints.Read("Faulty", "2013-05-01").Exists.ShouldBeFalse();
    }

    [Fact]
    public void A_file_left_where_an_attempt_stages_its_output_is_not_taken_for_the_output()
    {
        using var h = new EngineHarness(PipelineYaml.Faulty("no-output", failOn: "2013-05-01"), ("Faulty", []));
        h.WriteRaw("2013-05-01", "row\n");
        var cell = new OneCell(h, "Faulty", "2013-05-01");
        h.Env.WriteFile("ws/.cairn/staging/test-run/Faulty/2013-05-01.1.Output.out.txt", "left by something else\n");

        Should.Throw<StageFailedException>(cell.Execute).Message
            .ShouldBe("Stage 'Faulty' failed for date=2013-05-01: the task succeeded but did not write its output Output (data/out/date=2013-05-01/out.txt) (log: logs/date=2013-05-01/Faulty.log)");
        File.Exists(h.WorkspaceFile("data/out/date=2013-05-01/out.txt")).ShouldBeFalse();
    }

    [Fact]
    public void A_transient_failure_is_retried_by_the_stages_policy_and_each_retry_is_said_and_counted()
    {
        var pipeline = new PipelineYaml().Stage("Flaky", "TestStage", s => s.CopiesEachDay("data/flaky/date={date}/out.txt").Parameter("Fault", "transient").Parameter("Failures", 1).Retry(2, "0s"));
        using var h = new EngineHarness(pipeline, ("Flaky", []));
        h.WriteRaw("2013-05-01", "good\n");
        var cell = new OneCell(h, "Flaky", "2013-05-01");

        cell.Execute();

        cell.Console.ToString().ShouldBe("Flaky date=2013-05-01: attempt 2/2 after 0.0 s: IOException: disk hiccup 1\n".ReplaceLineEndings());
        cell.Checkpoints.Read("Flaky", "2013-05-01").Checkpoint!.Attempts.ShouldBe(2);
        File.ReadAllText(h.WorkspaceFile("data/flaky/date=2013-05-01/out.txt")).ShouldBe("good\n");
    }

    [Fact]
    public void An_identical_output_keeps_its_file_and_timestamp()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        new OneCell(h, "Upper", "2013-05-01").Execute();
        var output = h.WorkspaceFile("data/upper/date=2013-05-01/upper.txt");
        var old = DateTime.UtcNow.AddDays(-1);
        File.SetLastWriteTimeUtc(output, old);

        new OneCell(h, "Upper", "2013-05-01").Execute();

        File.GetLastWriteTimeUtc(output).ShouldBe(old);
    }

    /// <summary>One cell scanned and ready to execute in the harness's workspace, with the parts a run would give it.</summary>
    private sealed class OneCell
    {
        private readonly StagePlan _stage;
        private readonly CellExecutor _executor;

        public OneCell(EngineHarness h, string stage, string? partition)
        {
            var plan = h.Plan();
            var options = h.Options();
            var layout = new WorkspaceLayout(h.Workspace);
            var hashes = new FileHashes();
            var directories = new KnownDirectories();
            Checkpoints = new CheckpointStore(layout.Checkpoints);
            var output = new RunOutput(new RunConsole(Console, null));
            _stage = plan.Stage(stage);
            Decision = new CellScanner(options, new CellBinder(options, plan), Checkpoints, hashes).ScanCell(_stage, partition);
            _executor = new CellExecutor(new RunContext("test-run", "0.0.0", "local", layout, hashes, Checkpoints, directories, output, new RunObservers([], output), CancellationToken.None));
        }

        public StringWriter Console { get; } = new();

        public CheckpointStore Checkpoints { get; }

        public CellDecision Decision { get; }

        public IReadOnlyDictionary<string, double> Execute() => _executor.Execute(_stage, Decision);
    }
}
