using System.Diagnostics;
using System.Globalization;
using Cairn.Tests.Support;

namespace Cairn.Tests.CommandLine;

/// <summary>
/// The evidence ledger through the real <c>./build.sh</c>: every run and cell attempt is chained, Verify accepts an
/// honest ledger and names the first broken entry of an edited, shortened or reordered one, and a line torn by a crash
/// is cut off by the next run, which records the repair, also when SIGKILL tears it for real, again and again.
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

    /// <summary>
    /// kill -9, for real and repeated: a run of the sample is killed with SIGKILL while it appends cell entries, then a
    /// child process appending whole ledger entries (each in two writes, as a large entry is written) is killed with
    /// SIGKILL mid-loop. Whatever either leaves, the next run cuts a torn last line off and records the cut, and
    /// Verify accepts the ledger.
    /// </summary>
    [Fact]
    public void Appends_killed_with_sigkill_again_and_again_leave_a_ledger_that_verify_accepts_after_the_next_runs_repair()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 120);
        BuildSh(env, "--target=Clean").ShouldExitWith(0);
        var ledger = env.PathOf("ws/.cairn/governance/ledger.jsonl");
        var torn = new List<long>();
        var killedRuns = 0;
        for (var round = 0; round < 4; round++)
        {
            KillAppender(ledger, round);
            Tail(ledger, torn);
            var size = new FileInfo(ledger).Length;
            using (var run = Reliability.BuildProcess.Start(["--target=Clean", "--force", $"--workspace={env.PathOf("ws")}", $"--raw={env.PathOf("raw")}"]))
            {
                // Killed once it is appending cell entries (after it repaired what the appender tore), at another point each round.
                if (run.WaitUntil(() => new FileInfo(ledger).Length > size + 2_000 + (round * 7_000)) is not null && run.KillAt(TimeSpan.Zero) > 0)
                {
                    killedRuns++;
                }
            }

            if (Tail(ledger, torn))
            {
                // The appender chains from a whole last entry: a run cuts the torn one off first.
                BuildSh(env, "--target=Clean").ShouldExitWith(0);
            }
        }

        var repaired = BuildSh(env, "--target=Clean").ShouldExitWith(0);
        var verified = BuildSh(env, "--target=Verify").ShouldExitWith(0);

        killedRuns.ShouldBeGreaterThan(0, "a run was killed while it appended");
        torn.Count.ShouldBeGreaterThan(0, "a SIGKILL tore a line at least once");
        verified.Output.ShouldContain("the chain is intact.");
        var repairs = File.ReadAllLines(ledger).Where(l => l.Contains("\"kind\":\"ledger_repaired\"", StringComparison.Ordinal)).ToList();
        repairs.Count.ShouldBe(torn.Count, "every torn line was cut off by the next run and the cut recorded");
        for (var i = 0; i < torn.Count; i++)
        {
            repairs[i].ShouldContain($"\"dropped_bytes\":{torn[i]},");
        }

        (repaired.Output + verified.Output).ShouldNotContain("is broken");
    }

    /// <summary>Notes the ledger's torn last line (its bytes after the last newline), if it has one.</summary>
    /// <returns>True when it has one.</returns>
    private static bool Tail(string ledger, List<long> torn)
    {
        var bytes = File.ReadAllBytes(ledger);
        var after = bytes.Length - (Array.LastIndexOf(bytes, (byte)'\n') + 1);
        if (after > 0)
        {
            torn.Add(after);
        }

        return after > 0;
    }

    /// <summary>
    /// A child shell appending whole entries, chained to the ledger's last one, each in two writes with a pause between
    /// them (as a large entry reaches the disk in pieces), killed with SIGKILL while it loops.
    /// </summary>
    private static void KillAppender(string ledger, int round)
    {
        var lines = File.ReadAllLines(ledger);
        var last = System.Text.Json.Nodes.JsonNode.Parse(lines[^1])!;
        var seq = (long)last["seq"]!;
        var previous = (string)last["hash"]!;
        var script = new System.Text.StringBuilder("set -e\n");
        for (var i = 0; i < 400; i++)
        {
            var body = $"{{\"seq\":{++seq},\"at\":\"2026-12-03T00:00:00.000Z\",\"kind\":\"appender\",\"note\":\"entry {i} of round {round}\",\"prev\":\"{previous}\"}}";
            previous = Cairn.Engine.Governance.Ledger.HashOf(body);
            var line = body[..^1] + Cairn.Engine.Governance.Ledger.HashField + previous + "\"}";
            var cut = line.Length / 2;
            script.Append(CultureInfo.InvariantCulture, $"printf '%s' '{line[..cut]}' >> '{ledger}'\nsleep 0.01\nprintf '%s\\n' '{line[cut..]}' >> '{ledger}'\n");
        }

        var file = Path.Combine(Path.GetDirectoryName(ledger)!, "..", "..", "..", $"appender-{round}.sh");
        File.WriteAllText(file, script.ToString());
        using var child = Process.Start(new ProcessStartInfo("bash", [file]))!;
        Thread.Sleep(300 + (round * 170));
        child.Kill();
        child.WaitForExit();
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
