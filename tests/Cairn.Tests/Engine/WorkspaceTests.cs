using System.Diagnostics;

namespace Cairn.Tests.Engine;

public sealed class WorkspaceTests
{
    [Fact]
    public void A_run_forgets_the_folders_a_stage_made_when_the_stage_ends_and_the_next_stage_makes_its_own()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");
        using var run = new Cairn.Engine.Runs.PipelineRun(h.Options(), h.Plan(), TextWriter.Null);

        run.RunStage("Upper");

        File.Exists(h.WorkspaceFile("data/upper/date=2013-05-02/upper.txt")).ShouldBeTrue("Upper should have made its day folders");
        run.RememberedFolders.ShouldBe(0, "a stage's folders are forgotten when it ends, not kept for the whole run");
        run.RunStage("Concat");
        run.RememberedFolders.ShouldBe(0);
        run.Finish(null).ShouldBe(0);
        File.Exists(h.WorkspaceFile("data/all.txt")).ShouldBeTrue();
    }

    [Fact]
    public void A_second_run_on_the_same_cells_with_no_wait_fails_at_once_naming_the_cells_and_who_holds_them()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        using var first = h.Open(TextWriter.Null);
        var holder = Path.GetFileNameWithoutExtension(Directory.GetFiles(h.WorkspaceFile(".cairn/claims"), "*.claim").ShouldHaveSingleItem());

        var second = h.Run("--no-wait");

        second.UsageError.ShouldBeTrue();
        second.Failure!.Message.ShouldStartWith($"Another run holds cells this run needs: 2 cells (Upper for date=2013-05-01; Concat), held by run {holder} (pid {Environment.ProcessId} on {Environment.MachineName} since ");
        second.Failure.Message.ShouldEndWith(". Wait for it (drop --no-wait), or select partitions it does not hold.");
    }

    [Fact]
    public void A_second_run_on_the_same_cells_waits_for_the_first_and_then_runs()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        var first = h.Open(TextWriter.Null);
        // The first run lets go once the second says it is waiting.
        h.LineWritten = line =>
        {
            if (line.StartsWith("waiting for ", StringComparison.Ordinal))
            {
                first.Dispose();
            }
        };

        var second = h.Run().ShouldSucceed();

        second.Output.ShouldContain($"waiting for 2 cells (Upper for date=2013-05-01; Concat), held by run ");
        second.Output.ShouldContain($" (pid {Environment.ProcessId} on {Environment.MachineName} since ");
        File.Exists(h.WorkspaceFile("data/all.txt")).ShouldBeTrue();
    }

    [Fact]
    public void A_lock_left_by_a_killed_process_is_reclaimed_without_deleting_anything()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        var lockFile = h.WorkspaceFile(".cairn/lock");
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        // One process takes the lock, says so, and becomes `sleep` (exec keeps the pid and the locked descriptor), so
        // when WaitForExit returns the kernel has already let go of the lock: no child outlives the kill holding it.
        using var holder = Process.Start(new ProcessStartInfo("bash", ["-c", "exec 9>>\"$0\" && flock -x 9 && echo locked && exec sleep 60", lockFile])
        {
            RedirectStandardOutput = true,
        })!;
        try
        {
            holder.StandardOutput.ReadLine().ShouldBe("locked", "the holder process should take the lock");
            h.Run("--no-wait").UsageError.ShouldBeTrue("the live holder keeps the workspace");
        }
        finally
        {
            holder.Kill();
            holder.WaitForExit();
        }

        File.Exists(lockFile).ShouldBeTrue("nobody deleted the lock file; the kernel let go of the lock");
        h.Run("--no-wait").ShouldSucceed();
    }

    [Fact]
    public void Leftovers_of_a_crashed_run_are_removed_and_never_mistaken_for_results()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.Run().ShouldSucceed();
        File.WriteAllText(h.WorkspaceFile(".cairn/running"), "a run that was killed\n");
        var stagedOutput = h.Env.WriteFile("ws/.cairn/staging/20260101T000000Z-1-dead/Upper/2013-05-01/1/Output/upper.txt", "half");
        var tempCheckpoint = h.Env.WriteFile("ws/checkpoints/date=2013-05-01/.Upper.ok.1.0123456789abcdef0123456789abcdef.tmp", "{ half");

        h.Run().ShouldSucceed().Output.ShouldContain("Upper: skipped, up to date");

        File.Exists(stagedOutput).ShouldBeFalse();
        File.Exists(tempCheckpoint).ShouldBeFalse();
        File.Exists(h.WorkspaceFile(".cairn/running")).ShouldBeFalse();
    }

    [Fact]
    public void A_finished_run_leaves_no_staged_output_behind()
    {
        using var h = EngineHarness.TwoStages("2013-05-01", "2013-05-02");

        h.Run("--parallelism=2").ShouldSucceed();

        var staging = h.WorkspaceFile(".cairn/staging");
        (Directory.Exists(staging) ? Directory.GetFileSystemEntries(staging, "*", SearchOption.AllDirectories) : []).ShouldBeEmpty();
        File.ReadAllText(h.WorkspaceFile("data/upper/date=2013-05-02/upper.txt")).ShouldNotBeEmpty();
    }

    [Fact]
    public void Outputs_and_checkpoints_are_the_same_whatever_the_parallelism()
    {
        var days = Enumerable.Range(1, 24).Select(d => $"2013-07-{d:00}").ToArray();
        using var one = EngineHarness.TwoStages(days);
        using var four = EngineHarness.TwoStages(days);

        one.Run("--parallelism=1").ShouldSucceed();
        four.Run("--parallelism=4").ShouldSucceed();

        Files(four, "data").ShouldBe(Files(one, "data"));
        Fingerprints(four).ShouldBe(Fingerprints(one));
    }

    private static Dictionary<string, string> Files(EngineHarness h, string folder) =>
        Directory.GetFiles(h.WorkspaceFile(folder), "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(h.Workspace, f), File.ReadAllText);

    private static Dictionary<string, string> Fingerprints(EngineHarness h) =>
        Directory.GetFiles(h.WorkspaceFile("checkpoints"), "*.ok", SearchOption.AllDirectories)
            .ToDictionary(
                f => Path.GetRelativePath(h.Workspace, f),
                f => System.Text.Json.JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("fingerprint").GetString()!);
}
