using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cairn.Tests.Support;

namespace Cairn.Tests.CommandLine;

/// <summary>
/// Reviews through the real <c>./build.sh</c> on the sample pipeline: a breached Evaluate threshold stops the run before
/// Package and files a review; once approved, the next run passes the gate for exactly what was judged and packages;
/// a change files a new review, and a rejected one keeps the gate shut.
/// </summary>
[Collection(BuildScriptRuns.Name)]
public sealed partial class ReviewCommandLineTests
{
    [Fact]
    public void A_breach_files_a_review_an_approval_lets_exactly_that_model_through_and_a_change_needs_a_new_review()
    {
        using var env = new TestEnvironment();
        var days = SampleRaw.Write(env, "raw", 366, 4);

        var stopped = BuildSh(env, "--target=Package", "--set=Evaluate.min_auc=0.99").ShouldExitWith(1);
        var id = ReviewId().Match(stopped.Output).Groups[1].Value;
        var packagedWhileStopped = Directory.Exists(env.PathOf("ws/artifacts"));
        var listed = BuildSh(env, "--target=Reviews").ShouldExitWith(0);
        var approved = BuildSh(env, "--target=Approve", $"--review={id}", "--by=alice", "--reason=a stricter AUC than this model can meet; accepted for the demo").ShouldExitWith(0);
        var passed = BuildSh(env, "--target=Package", "--set=Evaluate.min_auc=0.99").ShouldExitWith(0);
        var version = File.ReadAllText(env.PathOf("ws/artifacts/LATEST")).Trim();
        var manifest = JsonNode.Parse(File.ReadAllText(env.PathOf($"ws/artifacts/{version}/manifest.json")))!.AsObject();
        var card = File.ReadAllText(env.PathOf($"ws/artifacts/{version}/model_card.md"));
        var status = BuildSh(env, "--target=Status", "--set=Evaluate.min_auc=0.99").ShouldExitWith(0);
        var lineage = BuildSh(env, "--target=Lineage", "--artifact=" + version["model-".Length..]).ShouldExitWith(0);
        var day = env.PathOf($"raw/date={days[^1]}/weather.csv");
        var lines = File.ReadAllLines(day);
        var fields = lines[1].Split(',');
        fields[1] = fields[1] == "12.5" ? "13.5" : "12.5";
        File.WriteAllText(day, $"{lines[0]}\n{string.Join(',', fields)}\n");
        var dataChanged = BuildSh(env, "--target=Package", "--set=Evaluate.min_auc=0.99").ShouldExitWith(1);
        var third = ReviewId().Match(dataChanged.Output).Groups[1].Value;
        var changed = BuildSh(env, "--target=Package", "--set=Evaluate.min_auc=0.98").ShouldExitWith(1);
        var second = ReviewId().Match(changed.Output).Groups[1].Value;
        BuildSh(env, "--target=Reject", $"--review={second}", "--by=bob", "--reason=no").ShouldExitWith(0);
        var rejected = BuildSh(env, "--target=Package", "--set=Evaluate.min_auc=0.98").ShouldExitWith(1);
        var again = ProcessStreams.Run(Repository.PathOf("build.sh"), ["--target=Approve", $"--review={id}", "--reason=again", .. Locations(env)], Repository.Root).ShouldExitWith(2);
        var unknown = ProcessStreams.Run(Repository.PathOf("build.sh"), ["--target=Approve", "--review=r-00000000", "--reason=x", .. Locations(env)], Repository.Root).ShouldExitWith(2);

        id.ShouldNotBeEmpty(stopped.Output);
        stopped.Output.ShouldContain("CAIRN5001: auc ");
        stopped.Output.ShouldContain("; this run sets Evaluate.MinAuc=0.99 (--set=Evaluate.min_auc=0.99) over the pipeline's value, so change or drop that --set instead; stopped at the gate: review ");
        stopped.Output.ShouldContain($"stopped at the gate: review {id} is pending.");
        stopped.Output.ShouldNotContain("Package: run");
        packagedWhileStopped.ShouldBeFalse();
        listed.Output.ShouldContain($"{id}  pending   Evaluate  requested ");
        listed.Output.ShouldContain("1 reviews, 1 pending");
        approved.Output.ShouldContain($"Review {id} of Evaluate: approved by alice at ");
        passed.Output.ShouldContain($"Evaluate: passes its gate by review {id}, approved by alice at ");
        passed.Output.ShouldContain(": a stricter AUC than this model can meet; accepted for the demo\n");
        passed.Output.ShouldContain("Package: published artifacts/model-");
        var approval = manifest["approvals"]!.AsArray().ShouldHaveSingleItem()!.AsObject();
        ((string?)approval["review"]).ShouldBe(id);
        ((string?)approval["stage"]).ShouldBe("Evaluate");
        ((string?)approval["approved_by"]).ShouldBe("alice");
        ((string)approval["approved_at"]!).ShouldMatch(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$");
        ((string?)approval["reason"]).ShouldBe("a stricter AUC than this model can meet; accepted for the demo");
        ((string?)approval["breaches"]![0]).ShouldStartWith("CAIRN5001: auc ");
        card.ShouldContain($"\n## Approvals\n\nA person let this model through a gate that stopped it; the package records each approval:\n\n- Review `{id}` of Evaluate: approved by alice at {(string?)approval["approved_at"]}: a stricter AUC than this model can meet; accepted for the demo\n  - stopped on: CAIRN5001: auc ");
        card.ShouldNotContain("None: the model passed its gates on its own.");
        manifest["files"]!.AsArray().Single(f => (string?)f!["name"] == "model_card.md")!["bytes"]!.GetValue<long>().ShouldBe(new FileInfo(env.PathOf($"ws/artifacts/{version}/model_card.md")).Length);
        status.Output.ShouldContain("Package: up to date", customMessage: "the approvals Package was built under are those Status sees: it would not run again");
        lineage.Output.ShouldContain($" (LATEST)\n  built and published by run ");
        lineage.Output.ShouldContain($", --set=Evaluate.MinAuc=0.99, Cairn ");
        lineage.Output.ShouldContain($"\n    Evaluate passed its gate in that run by review {id}, approved by alice\n");
        lineage.Output.ShouldContain("\n  --set: Evaluate.MinAuc=0.99\n");
        lineage.Output.ShouldContain($"\n  approvals:\n    review {id} of Evaluate: approved by alice at {(string?)approval["approved_at"]}: a stricter AUC than this model can meet; accepted for the demo\n      stopped on: CAIRN5001: auc ");
        third.ShouldNotBeEmpty(dataChanged.Output);
        third.ShouldNotBe(id, "other data make another model: the approval does not carry over");
        dataChanged.Output.ShouldContain("Train: run, input changed: data/features/date=" + days[^1]);
        dataChanged.Output.ShouldNotContain("passes its gate");
        second.ShouldNotBeEmpty(changed.Output);
        second.ShouldNotBe(id, "a different threshold is a different fingerprint: it needs a review of its own");
        rejected.Output.ShouldContain($"review {second} of exactly this was rejected by bob at ");
        again.StandardError.ShouldContain($"--review={id}: it is decided already, approved by alice at ");
        unknown.StandardError.ShouldContain("--review=r-00000000: there is no such review in ");
        var ledger = File.ReadAllText(env.PathOf("ws/.cairn/governance/ledger.jsonl"));
        ledger.ShouldContain($"\"kind\":\"review_requested\",\"run_id\":");
        ledger.ShouldContain($"\"kind\":\"review_approved\",\"review\":\"{id}\"");
        ledger.ShouldContain($"\"kind\":\"gate_passed\"");
        ledger.ShouldContain($"\"kind\":\"review_rejected\",\"review\":\"{second}\"");
        ledger.ShouldContain("\"kind\":\"published\"");
    }

    [Fact]
    public void Approve_without_a_review_or_a_reason_says_what_to_give_exit_2()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 40);

        var run = ProcessStreams.Run(Repository.PathOf("build.sh"), ["--target=Approve", .. Locations(env)], Repository.Root).ShouldExitWith(2);

        run.StandardError.ShouldContain("Approve needs --review=ID; no review is pending (--target=Reviews lists them all).");
        run.StandardError.ShouldContain("Approve needs --reason=\"…\": why, in a sentence, recorded with the decision.");
    }

    [GeneratedRegex(@"review (r-[0-9a-f]{8}) is pending")]
    private static partial Regex ReviewId();

    private static string[] Locations(TestEnvironment env) => [$"--workspace={env.PathOf("ws")}", $"--raw={env.PathOf("raw")}"];

    private static ProcessResult BuildSh(TestEnvironment env, params string[] arguments) =>
        Processes.Run(Repository.PathOf("build.sh"), [.. arguments, .. Locations(env)], Repository.Root);
}
