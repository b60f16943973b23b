using Cairn.Tests.Support;

namespace Cairn.Tests.CommandLine;

/// <summary>
/// The evidence ledger through the real <c>./build.sh</c>: every run and cell attempt is chained, Verify accepts an
/// honest ledger and names the first broken entry of an edited, shortened or reordered one, and a line torn by a crash
/// is cut off by the next run, which records the repair.
/// </summary>
[Collection(BuildScriptRuns.Name)]
public sealed class LedgerCommandLineTests
{
    [Fact]
    public void Verify_accepts_the_honest_ledger_and_names_the_first_entry_edited_removed_or_swapped()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 10);
        BuildSh(env, "--target=Clean").ShouldExitWith(0);
        var ledger = env.PathOf("ws/.cairn/governance/ledger.jsonl");
        var honest = File.ReadAllLines(ledger);

        var intact = BuildSh(env, "--target=Verify").ShouldExitWith(0);
        var edited = Tampered(env, ledger, honest, lines => lines[4] = lines[4].Replace("\"succeeded\":true", "\"succeeded\":false", StringComparison.Ordinal));
        var removed = Tampered(env, ledger, honest, lines => lines.RemoveAt(6));
        var swapped = Tampered(env, ledger, honest, lines => (lines[7], lines[8]) = (lines[8], lines[7]));

        honest.Length.ShouldBe(1 + 30 + 1, "run_started, one cell_attempt for each of the 10 days' 3 cells, run_finished");
        honest[0].ShouldContain("\"kind\":\"run_started\"");
        honest[1].ShouldContain("\"kind\":\"cell_attempt\"");
        honest[1].ShouldContain("\"attempts\":1,\"succeeded\":true");
        intact.Output.ShouldContain(" holds 32 entries; the chain is intact.\n");
        edited.Output.ShouldContain("is broken: line 5 was changed: its content no longer matches its hash (entry 5, cell_attempt)");
        removed.Output.ShouldContain("is broken: entry 7 is missing: line 7 holds entry 8, so entry 7 was removed or moved");
        swapped.Output.ShouldContain("is broken: line 8 holds entry 9 where entry 8 belongs, which comes later: entries were reordered");
    }

    [Fact]
    public void A_line_torn_by_a_crash_is_cut_off_by_the_next_run_which_records_the_repair_and_verify_accepts_it()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 5);
        BuildSh(env, "--target=Clean").ShouldExitWith(0);
        var ledger = env.PathOf("ws/.cairn/governance/ledger.jsonl");
        // What a kill -9 in the middle of an append leaves: the start of a line, no newline.
        File.AppendAllText(ledger, "{\"seq\":18,\"at\":\"2026-12-02T20:00:00.000Z\",\"kind\":\"cell_att");

        var torn = BuildSh(env, "--target=Verify").ShouldExitWith(1);
        var next = BuildSh(env, "--target=Clean").ShouldExitWith(0);
        var verified = BuildSh(env, "--target=Verify").ShouldExitWith(0);

        torn.Output.ShouldContain("is broken: line 18 is not a ledger entry (no hash at its end): it was changed, or torn and not yet repaired by a run");
        next.Output.ShouldContain("ended in a line torn by a crash (58 bytes); it was cut off, and the cut is recorded in the ledger.");
        File.ReadAllLines(ledger)[17].ShouldContain("\"seq\":18,");
        File.ReadAllLines(ledger)[17].ShouldContain("\"kind\":\"ledger_repaired\",\"dropped_bytes\":58,");
        verified.Output.ShouldContain(" holds 20 entries; the chain is intact.\n");
    }

    private static ProcessResult Tampered(TestEnvironment env, string ledger, string[] honest, Action<List<string>> tamper)
    {
        var lines = honest.ToList();
        tamper(lines);
        File.WriteAllLines(ledger, lines);
        var verify = BuildSh(env, "--target=Verify").ShouldExitWith(1);
        File.WriteAllLines(ledger, honest);
        return verify;
    }

    private static ProcessResult BuildSh(TestEnvironment env, params string[] arguments) =>
        Processes.Run(Repository.PathOf("build.sh"), [.. arguments, $"--workspace={env.PathOf("ws")}", $"--raw={env.PathOf("raw")}"], Repository.Root);
}
