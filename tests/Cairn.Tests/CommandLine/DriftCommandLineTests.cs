using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cairn.Hashing;
using Cairn.Tests.Support;

namespace Cairn.Tests.CommandLine;

/// <summary>
/// Schema drift through the real <c>./build.sh</c> on a copy of the sample pipeline (its contract is written by an
/// approval, so the repository's own is never touched): a day that gains a column holds exactly that day's cells and
/// what reads them, the other days run, and the run exits 3; Status says why; approving writes the contract with the
/// accepted change (its previous text in the ledger) and the next run builds the day and the package; a rejected
/// drift keeps its day held and quarantines the day's raw file reference.
/// </summary>
[Collection(BuildScriptRuns.Name)]
public sealed partial class DriftCommandLineTests
{
    [Fact]
    public void A_new_column_in_one_day_holds_that_day_until_approved_then_the_contract_holds_it_and_the_day_runs()
    {
        using var env = new TestEnvironment();
        var days = SampleRaw.Write(env, "raw", 40);
        var drifted = days[4];
        AddHumidity(env, drifted, "81.5");
        var contract = CopyPipeline(env);
        var before = File.ReadAllText(contract);

        var held = BuildSh(env, "--target=Package").ShouldExitWith(3);
        var id = ReviewId().Match(held.Output).Groups[1].Value;
        var heldFeatures = File.Exists(env.PathOf($"ws/data/features/date={drifted}/features.csv"));
        var otherFeatures = File.Exists(env.PathOf($"ws/data/features/date={days[5]}/features.csv"));
        var status = BuildSh(env, "--target=Status").ShouldExitWith(0);
        // On GitHub Actions a held run is a warning, not an error: nothing failed, a person's decision is awaited.
        var again = Processes.Run(Repository.PathOf("build.sh"), ["--target=Package", $"--pipeline={env.PathOf("pipe/pipeline.yaml")}", $"--workspace={env.PathOf("ws")}", $"--raw={env.PathOf("raw")}"], Repository.Root, new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = env.PathOf("summary.md") }).ShouldExitWith(3);
        var listed = BuildSh(env, "--target=Reviews").ShouldExitWith(0);
        var approved = BuildSh(env, "--target=Approve", $"--review={id}", "--by=alice", "--reason=the station added a humidity sensor").ShouldExitWith(0);
        var after = File.ReadAllText(contract);
        var ran = BuildSh(env, "--target=Package").ShouldExitWith(0);
        var verify = BuildSh(env, "--target=Verify").ShouldExitWith(0);

        id.ShouldNotBeEmpty(held.Output);
        held.Output.ShouldContain($"Validate date={drifted}: awaiting approval of schema drift in date={drifted}: new column 'humidity' (number); review {id} is pending.");
        held.Output.ShouldContain($"Clean: 1 cell not run because an upstream cell is held for approval (e.g. Clean date={drifted}: upstream Validate date={drifted} is held for approval of schema drift)");
        held.Output.ShouldContain("Clean: ran 39 cells in ");
        held.Output.ShouldContain("Package: 1 cell not run because an upstream cell is held for approval");
        held.Output.ShouldContain($"  held: Validate date={drifted}: awaiting approval of schema drift");
        heldFeatures.ShouldBeFalse();
        otherFeatures.ShouldBeTrue("the other days run");
        status.Output.ShouldContain($"Validate: 1 of 40 cells stale\n  Validate date={drifted}: awaiting approval of schema drift in date={drifted}: new column 'humidity' (number); review {id} is pending.");
        again.Output.ShouldContain($"Validate date={drifted}: awaiting approval of schema drift", customMessage: "held by the scan: the same data against the same contract is not run again");
        again.Output.ShouldNotContain("error CAIRN2002");
        held.Output.ShouldContain(" awaiting approval after ");
        held.Output.ShouldNotContain(" failed in ");
        again.Output.ShouldContain("::warning title=Cairn run awaits approval::");
        again.Output.ShouldNotContain("::error");
        File.ReadAllText(env.PathOf("summary.md")).ShouldStartWith("## Cairn run held: ");
        File.ReadAllText(env.PathOf("summary.md")).ShouldContain("**Awaiting approval:** ");
        Observability.Sql.Query(env.PathOf("ws/.cairn/runs.db"), "SELECT status FROM pipeline_run_log ORDER BY started_at LIMIT 2").Select(r => (string?)r["status"]).ShouldBe(["held", "held"]);
        Observability.Sql.Query(env.PathOf("ws/.cairn/runs.db"), $"SELECT status FROM cell_run_log WHERE stage = 'Validate' AND partition = '{drifted}' ORDER BY started_at LIMIT 1").Select(r => (string?)r["status"]).ShouldBe(["held"]);
        listed.Output.ShouldContain($"{id}  pending   Validate {drifted}  requested ");
        listed.Output.ShouldContain($"  schema drift against $pipeline/config/contract.yaml (contract version {Version(before)[..16]}); approving writes the change into it:\n  new column 'humidity' (number)\n");
        approved.Output.ShouldContain($"Review {id} of Validate {drifted}: approved by alice at ");
        approved.Output.ShouldContain($"$pipeline/config/contract.yaml now holds the accepted change (new column 'humidity' (number)): contract version {Version(before)[..16]} → {Version(after)[..16]}, the previous text kept in the ledger.");
        after.ShouldBe(before + "  - name: humidity\n    type: number\n    nullable: true\n    optional: true        # accepted schema drift: absent before it appeared\n");
        ran.Output.ShouldContain("Validate: run 40 cells: input changed (39), first run (1)");
        ran.Output.ShouldContain("Package: published artifacts/model-");
        File.ReadAllText(env.PathOf($"ws/data/features/date={drifted}/features.csv")).ShouldContain(drifted);
        var ledger = File.ReadAllLines(env.PathOf("ws/.cairn/governance/ledger.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var amended = ledger.Single(e => (string?)e["kind"] == "contract_amended");
        ((string?)amended["review"]).ShouldBe(id);
        ((string?)amended["previous_version"]).ShouldBe(Version(before));
        ((string?)amended["version"]).ShouldBe(Version(after));
        ((string?)amended["previous_text"]).ShouldBe(before);
        verify.Output.ShouldContain("the chain is intact.");

        // Every checkpoint, run-log row and the package's manifest record the contract version they were built with.
        ContractVersionOf(env, $"checkpoints/date={drifted}/Validate.ok").ShouldBe(Version(after));
        ContractVersionOf(env, $"checkpoints/date={days[0]}/Clean.ok").ShouldBe(Version(after));
        ContractVersionOf(env, "checkpoints/Train.ok").ShouldBe(Version(after), "Train is built from cells the contract reached");
        ContractVersionOf(env, $"checkpoints/date={drifted}/Ingest.ok").ShouldBeNull("no contract reaches the ingest");
        var version = File.ReadAllText(env.PathOf("ws/artifacts/LATEST")).Trim();
        ((string?)JsonNode.Parse(File.ReadAllText(env.PathOf($"ws/artifacts/{version}/manifest.json")))!["contract_version"]).ShouldBe(Version(after));
        var rows = Observability.Sql.Query(env.PathOf("ws/.cairn/runs.db"), $"SELECT stage, contract_version FROM cell_run_log WHERE partition = '{drifted}' AND status = 'succeeded' ORDER BY started_at");
        rows.Where(r => (string?)r["stage"] == "Validate").Select(r => (string?)r["contract_version"]).ShouldBe([Version(after)], "the held day's Validate succeeded once, against the amended contract");
        rows.Where(r => (string?)r["stage"] == "Ingest").ShouldAllBe(r => r["contract_version"] == null);
        Observability.Sql.Query(env.PathOf("ws/.cairn/runs.db"), $"SELECT contract_version FROM cell_run_log WHERE stage = 'Validate' AND partition = '{days[0]}' ORDER BY started_at")
            .Select(r => (string?)r["contract_version"]).ShouldBe([Version(before), Version(after)]);
    }

    private static string? ContractVersionOf(TestEnvironment env, string checkpoint) =>
        (string?)JsonNode.Parse(File.ReadAllText(env.PathOf("ws/" + checkpoint)))!["contractVersion"];

    [Fact]
    public void A_rejected_drift_keeps_its_day_held_and_quarantines_the_days_raw_file_with_the_reason()
    {
        using var env = new TestEnvironment();
        var days = SampleRaw.Write(env, "raw", 12);
        var drifted = days[2];
        AddHumidity(env, drifted, "high");
        var contract = CopyPipeline(env);
        var before = File.ReadAllText(contract);

        var held = BuildSh(env, "--target=Clean").ShouldExitWith(3);
        var id = ReviewId().Match(held.Output).Groups[1].Value;
        var rejected = BuildSh(env, "--target=Reject", $"--review={id}", "--by=bob", "--reason=humidity is not ours to take").ShouldExitWith(0);
        var still = BuildSh(env, "--target=Clean").ShouldExitWith(3);

        held.Output.ShouldContain($"new column 'humidity' (string); review {id} is pending.");
        rejected.Output.ShouldContain($"Review {id} of Validate {drifted}: rejected by bob at ");
        rejected.Output.ShouldContain($"The drifted cells stay held; the partition's raw files are quarantined ($raw/date={drifted}/weather.csv; ");
        File.ReadAllText(contract).ShouldBe(before);
        still.Output.ShouldContain($"Validate date={drifted}: schema drift in date={drifted} was rejected: new column 'humidity' (string); review {id} rejected by bob at ");
        still.Output.ShouldContain(": humidity is not ours to take. The partition stays held and its raw files are quarantined");
        var quarantine = JsonNode.Parse(File.ReadAllLines(env.PathOf("ws/.cairn/governance/quarantine.jsonl")).ShouldHaveSingleItem())!.AsObject();
        ((string?)quarantine["partition"]).ShouldBe(drifted);
        ((string?)quarantine["reason"]).ShouldBe("humidity is not ours to take");
        ((string?)quarantine["files"]![0]!["path"]).ShouldBe($"$raw/date={drifted}/weather.csv");
        ((string?)quarantine["files"]![0]!["hash"]).ShouldBe(ContentHasher.HashFile(env.PathOf($"raw/date={drifted}/weather.csv")).ToString());
        File.ReadAllText(env.PathOf("ws/.cairn/governance/ledger.jsonl")).ShouldContain($"\"kind\":\"raw_quarantined\",\"review\":\"{id}\"");
    }

    /// <summary>The day's raw file with a seventh column, humidity.</summary>
    private static void AddHumidity(TestEnvironment env, string day, string value)
    {
        var lines = File.ReadAllLines(env.PathOf($"raw/date={day}/weather.csv"));
        File.WriteAllText(env.PathOf($"raw/date={day}/weather.csv"), $"{lines[0]},humidity\n{lines[1]},{value}\n");
    }

    /// <summary>The sample's pipeline file and config in the test folder, its stage project the repository's; returns the contract's path.</summary>
    private static string CopyPipeline(TestEnvironment env)
    {
        var source = Repository.PathOf("pipelines/weather");
        var yaml = File.ReadAllText(Path.Combine(source, "pipeline.yaml"))
            .Replace("assembly: Cairn.Pipelines.Weather.csproj", $"assembly: {Path.Combine(source, "Cairn.Pipelines.Weather.csproj")}", StringComparison.Ordinal);
        env.WriteFile("pipe/pipeline.yaml", yaml);
        foreach (var file in Directory.GetFiles(Path.Combine(source, "config")))
        {
            env.WriteFile($"pipe/config/{Path.GetFileName(file)}", File.ReadAllText(file));
        }

        return env.PathOf("pipe/config/contract.yaml");
    }

    private static string Version(string text) => ContentHasher.HashString(text).ToString();

    [GeneratedRegex(@"review (r-[0-9a-f]{8}) is pending")]
    private static partial Regex ReviewId();

    private static ProcessResult BuildSh(TestEnvironment env, params string[] arguments) =>
        Processes.Run(Repository.PathOf("build.sh"), [.. arguments, $"--pipeline={env.PathOf("pipe/pipeline.yaml")}", $"--workspace={env.PathOf("ws")}", $"--raw={env.PathOf("raw")}"], Repository.Root);
}
