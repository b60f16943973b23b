using Cairn.Engine.Workspace;
using Cairn.Tests.CommandLine;
using Cairn.Tests.Support;

namespace Cairn.Tests.Reliability;

/// <summary>
/// Issue 15 item 3: real <c>./build.sh</c> runs on one workspace at the same time. The first run is paused (SIGSTOP)
/// once it has claimed its cells, at a moment it holds no short lock, so what the second does happens while the first
/// is surely mid-run, whatever the machine's pace: on disjoint days the second runs to its end meanwhile; on
/// overlapping days it waits, naming the shared cells, and a third told not to wait fails at once. Either way both end
/// with what one sequential run over all the days leaves, nothing left over, the stat cache holding both runs'
/// findings and the ledger's chain whole.
/// </summary>
public sealed class ConcurrentRunsTests
{
    private const int Days = 60;

    [Fact]
    public void Two_runs_on_disjoint_days_run_at_the_same_time_and_end_as_one_sequential_run()
    {
        using var env = new TestEnvironment();
        var expected = Reference(env);
        using var first = StartPaused(env);
        string second;
        using (var run = BuildProcess.Start(Arguments(env, "2012-02-01", "2012-02-29")).Finish())
        {
            // It ended while the first is paused mid-run, holding its cells: the two ran at the same time.
            run.ShouldExitWith(0);
            // The engine's waiting lines (for the workspace, or for cells) end in this; build.sh's own "Waiting for another
            // build script to finish its bootstrap" is another test's first run, not a wait for cells.
            run.Output.ShouldNotContain("(pass --no-wait to fail at once instead)");
            run.Output.ShouldContain("Clean: run 29 cells: first run (29)");
            second = run.RunId!;
        }

        first.Resume();
        first.Finish().ShouldExitWith(0);
        first.Output.ShouldContain("Clean: run 31 cells: first run (31)");

        var state = WorkspaceState.Capture(env.PathOf("ws"));
        Same(state, expected);
        state.Leftovers(first.RunId).ShouldBeEmpty();
        state.Checkpoints["Clean date=2012-02-10"].RunId.ShouldBe(second);
        state.Checkpoints["Clean date=2012-01-10"].RunId.ShouldBe(first.RunId);
        StatCacheHolds(env, "date=2012-01-10", "date=2012-02-10");
        LedgerAndNoOp(env);
    }

    [Fact]
    public void A_run_on_overlapping_days_waits_for_the_shared_cells_and_one_told_not_to_wait_fails_at_once()
    {
        using var env = new TestEnvironment();
        var expected = Reference(env);
        using var first = StartPaused(env);
        var holder = Path.GetFileNameWithoutExtension(Directory.GetFiles(env.PathOf("ws/.cairn/claims"), "*.claim").ShouldHaveSingleItem());
        const string Shared = "21 cells (Ingest, Validate, Clean for date=2012-01-25, date=2012-01-26, … and 5 more)";

        using var second = BuildProcess.Start(Arguments(env, "2012-01-25", "2012-02-29"));
        second.WaitUntil(() => second.Output.Contains("waiting for ", StringComparison.Ordinal)).ShouldNotBeNull($"the second run ended without waiting; output:\n{second.Output}");
        using (var refused = BuildProcess.Start([.. Arguments(env, "2012-01-31", "2012-02-02"), "--no-wait"]).Finish())
        {
            refused.ShouldExitWith(2);
            refused.Output.ShouldContain($"Another run holds cells this run needs: 3 cells (Ingest, Validate, Clean for date=2012-01-31), held by run {holder} (pid ");
            refused.Output.ShouldContain(", --target=Clean). Wait for it (drop --no-wait), or select partitions it does not hold.");
            refused.LastStage.ShouldBeNull("a run refused at once runs nothing");
        }

        second.LastStage.ShouldBeNull("the second run waits before it runs anything");
        second.Output.ShouldContain($"waiting for {Shared}, held by run {holder} (pid ");
        first.Resume();
        first.Finish().ShouldExitWith(0);
        second.Finish().ShouldExitWith(0);
        // The shared days were built by the first run while the second waited: the second finds them up to date.
        second.Output.ShouldContain("Ingest: run 29 cells: first run (29); 7 up to date");
        second.Output.ShouldContain("Clean: run 29 cells: first run (29); 7 up to date");

        var state = WorkspaceState.Capture(env.PathOf("ws"));
        Same(state, expected);
        state.Leftovers(second.RunId).ShouldBeEmpty();
        state.Checkpoints["Clean date=2012-01-28"].RunId.ShouldBe(first.RunId);
        StatCacheHolds(env, "date=2012-01-10", "date=2012-02-10");
        LedgerAndNoOp(env);
    }

    private static List<string> Arguments(TestEnvironment env, string from, string to, string workspace = "ws") =>
        ["--target=Clean", $"--workspace={env.PathOf(workspace)}", $"--raw={env.PathOf("raw")}", $"--from={from}", $"--to={to}"];

    /// <summary>The raw days, and one sequential run over all of them in a workspace of its own: what the concurrent runs must leave.</summary>
    private static WorkspaceState Reference(TestEnvironment env)
    {
        SampleRaw.Write(env, "raw", Days);
        using var reference = BuildProcess.Start(Arguments(env, "2012-01-01", "2012-02-29", "ws-ref")).Finish().ShouldExitWith(0);
        return WorkspaceState.Capture(env.PathOf("ws-ref"));
    }

    /// <summary>The first run, over January, paused once it printed a stage's line: it holds its cells, and waits.</summary>
    private static BuildProcess StartPaused(TestEnvironment env)
    {
        var first = BuildProcess.Start(Arguments(env, "2012-01-01", "2012-01-31"));
        if (first.WaitUntil(() => first.LastStage is not null) is null)
        {
            throw new ShouldAssertException($"the first run ended before its first stage (exit code {first.ExitCode}, after {first.Elapsed.TotalSeconds:0.0} s); output:\n{first.Output}");
        }

        first.Pause(env.PathOf("ws"));
        return first;
    }

    /// <summary>The same outputs, byte for byte, and every cell's checkpoint with the same fingerprint and outputs.</summary>
    private static void Same(WorkspaceState state, WorkspaceState expected)
    {
        state.UnreadableCheckpoints.ShouldBeEmpty();
        state.Outputs.ShouldBe(expected.Outputs);
        state.Checkpoints.Keys.ShouldBe(expected.Checkpoints.Keys);
        state.Checkpoints.Values.Select(c => c.Claim).ShouldBe(expected.Checkpoints.Values.Select(c => c.Claim));
        state.StaleCheckpoints.ShouldBeEmpty();
    }

    /// <summary>The stat cache holds raw files read by each run: the last to end merged into the other's, not over it.</summary>
    private static void StatCacheHolds(TestEnvironment env, params string[] days)
    {
        StatCache.TryParse(File.ReadAllBytes(env.PathOf("ws/.cairn/stat-cache.bin")), out var entries, out _, out var problem).ShouldBeTrue(problem);
        foreach (var day in days)
        {
            entries.Keys.ShouldContain(k => k.Contains($"/raw/{day}/", StringComparison.Ordinal), $"no stat cache entry for the raw file of {day}");
        }
    }

    /// <summary>The ledger's chain is whole though two runs appended to it at once, and a run over all the days then has nothing to do.</summary>
    private static void LedgerAndNoOp(TestEnvironment env)
    {
        using var verify = BuildProcess.Start(["--target=Verify", $"--workspace={env.PathOf("ws")}", $"--raw={env.PathOf("raw")}"]).Finish().ShouldExitWith(0);
        using var noOp = BuildProcess.Start(Arguments(env, "2012-01-01", "2012-02-29")).Finish().ShouldExitWith(0);
        noOp.Output.ShouldContain("Ingest: skipped, all 60 cells up to date");
        noOp.Output.ShouldContain("Clean: skipped, all 60 cells up to date");
        Directory.GetFiles(env.PathOf("ws/.cairn/claims")).ShouldBeEmpty("every run let go of its claims");
        File.Exists(env.PathOf("ws/.cairn/running")).ShouldBeFalse("the last run to end marks the workspace as not run in");
    }
}
