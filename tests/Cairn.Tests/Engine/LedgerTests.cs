using System.Text;
using System.Text.Json.Nodes;
using Cairn.Engine.Governance;
using Cairn.Engine.Workspace;
using Cairn.Tests.Support;

namespace Cairn.Tests.Engine;

/// <summary>
/// The evidence ledger opened by a new run: the chain continues from its last whole line, which is all that is read of
/// it, however long the workspace's history has made it, and a line torn by a crash is still cut off and recorded.
/// </summary>
public sealed class LedgerTests
{
    [Fact]
    public void A_new_run_continues_a_long_ledger_from_its_last_line_without_reading_the_rest()
    {
        using var env = new TestEnvironment();
        var state = env.CreateFolder("ws/.cairn");
        var filler = new string('x', 8_000);
        using (var earlier = new Ledger(state, warning => throw new InvalidOperationException(warning)))
        {
            for (var i = 0; i < 4_000; i++)
            {
                earlier.Append("cell_attempt", new JsonObject { ["filler"] = filler });
            }
        }

        var path = Ledger.LedgerPath(state);
        var size = new FileInfo(path).Length;
        var warnings = new List<string>();
        using var ledger = new Ledger(state, warnings.Add);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        ledger.Append("run_started", new JsonObject { ["run_id"] = "r2" });
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        ledger.Dispose();

        size.ShouldBeGreaterThan(32_000_000);
        allocated.ShouldBeLessThan(1_000_000, $"appending to a {size:N0}-byte ledger allocated {allocated:N0} bytes: it read more than its end");
        warnings.ShouldBeEmpty();
        LedgerVerifier.Verify(path).ShouldBe((4_001, null));
        File.ReadLines(path).Last().ShouldStartWith("{\"seq\":4001,");
    }

    [Fact]
    public void Verify_reads_a_ledger_line_by_line_and_still_fails_one_whose_line_endings_were_changed()
    {
        using var env = new TestEnvironment();
        var (_, path) = OneRun(env);
        var honest = LedgerVerifier.Verify(path);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\n", "\r\n", StringComparison.Ordinal));
        var converted = LedgerVerifier.Verify(path);

        honest.ShouldBe((2, null));
        converted.Problem.ShouldBe("line 1 is not a ledger entry (no hash at its end): it was changed, or torn and not yet repaired by a run");
    }

    [Fact]
    public void A_torn_last_line_after_empty_lines_is_cut_off_and_the_chain_continues_from_the_last_entry()
    {
        using var env = new TestEnvironment();
        var (state, path) = OneRun(env);
        var whole = File.ReadAllText(path);
        File.AppendAllText(path, "\n\n{\"seq\":3,\"at\":\"2026-");
        var warnings = new List<string>();
        using (var ledger = new Ledger(state, warnings.Add))
        {
            ledger.Append("run_started", new JsonObject { ["run_id"] = "r2" });
        }

        var lines = File.ReadAllLines(path);
        warnings.ShouldHaveSingleItem().ShouldContain("ended in a line torn by a crash (20 bytes); it was cut off, and the cut is recorded in the ledger.");
        File.ReadAllText(path, Encoding.UTF8).ShouldStartWith(whole + "\n\n{\"seq\":3,");
        lines[^2].ShouldContain("\"seq\":3,");
        lines[^2].ShouldContain("\"kind\":\"ledger_repaired\",\"dropped_bytes\":20,");
        lines[^1].ShouldContain("\"seq\":4,");
        lines[^1].ShouldContain("\"kind\":\"run_started\",\"run_id\":\"r2\",");
    }

    [Fact]
    public void Two_runs_appending_at_once_each_under_the_lock_of_its_own_open_keep_one_whole_chain()
    {
        using var env = new TestEnvironment();
        var state = env.CreateFolder("ws/.cairn");
        using var first = new Ledger(state, warning => throw new InvalidOperationException(warning));
        using var second = new Ledger(state, warning => throw new InvalidOperationException(warning));
        using var start = new Barrier(2);

        Parallel.Invoke(
            () => AppendMany(first, "r1", start),
            () => AppendMany(second, "r2", start));
        first.Dispose();
        second.Dispose();

        LedgerVerifier.Verify(Ledger.LedgerPath(state)).ShouldBe((1_000, null));
        ShortLock.Held(Path.Combine(state, "governance", "ledger.lock")).ShouldBeFalse("the lock is held only while an entry is appended");
    }

    private static void AppendMany(Ledger ledger, string runId, Barrier start)
    {
        start.SignalAndWait();
        for (var i = 0; i < 500; i++)
        {
            ledger.Append("cell_attempt", new JsonObject { ["run_id"] = runId, ["partition"] = i });
        }
    }

    /// <summary>A workspace's state folder whose ledger holds one run's start and end; and the ledger's path.</summary>
    private static (string State, string Path) OneRun(TestEnvironment env)
    {
        var state = env.CreateFolder("ws/.cairn");
        using (var ledger = new Ledger(state, warning => throw new InvalidOperationException(warning)))
        {
            ledger.Append("run_started", new JsonObject { ["run_id"] = "r1" });
            ledger.Append("run_finished", new JsonObject { ["run_id"] = "r1" });
        }

        return (state, Ledger.LedgerPath(state));
    }
}
