using System.Text.RegularExpressions;
using Cairn.Tests.Support;

namespace Cairn.Tests.CommandLine;

/// <summary>
/// Package versions through the real <c>./build.sh</c> on the sample pipeline: each new package is published beside the
/// earlier ones, Rollback points <c>LATEST</c> back without making a cell stale, a bad <c>--to</c> is refused listing
/// the versions, Lineage names what built a version (and refuses an unknown or ambiguous prefix, listing the
/// versions), and the reports' pictures are where their links say, in the workspace and in the package.
/// </summary>
[Collection(BuildScriptRuns.Name)]
public sealed partial class PackageVersionsCommandLineTests
{
    private static readonly string[] WorkspaceReports = ["ws/reports/report.md", "ws/reports/drift_report.md"];

    [Fact]
    public void A_new_package_is_kept_beside_the_first_rollback_points_latest_back_and_every_cell_stays_up_to_date()
    {
        using var env = new TestEnvironment();
        var days = SampleRaw.Write(env, "raw", 366, 4);
        var firstRun = BuildSh(env, "--target=Package").ShouldExitWith(0);
        firstRun.Output.ShouldContain("Package: published artifacts/model-");
        var first = Latest(env);
        var day = env.PathOf($"raw/date={days[100]}/weather.csv");
        // A corrected reading for one day: a new model, so a new package.
        var lines = File.ReadAllLines(day);
        File.WriteAllText(day, $"{lines[0]}\n{lines[1][..lines[1].LastIndexOf(',')]},{(lines[1].EndsWith(",rain", StringComparison.Ordinal) ? "sun" : "rain")}\n");
        var secondRun = BuildSh(env, "--target=Package").ShouldExitWith(0);
        var second = Latest(env);

        var rollback = BuildSh(env, "--target=Rollback", "--to=" + first["model-".Length..][..6]).ShouldExitWith(0);
        var status = BuildSh(env, "--target=Status", "--check");
        var unknown = ProcessStreams.Run(Repository.PathOf("build.sh"), ["--target=Rollback", "--to=zzzz", .. Locations(env)], Repository.Root);
        var lineage = BuildSh(env, "--target=Lineage", "--artifact=" + second["model-".Length..][..6]).ShouldExitWith(0);
        var ambiguous = ProcessStreams.Run(Repository.PathOf("build.sh"), ["--target=Lineage", "--artifact=model-", .. Locations(env)], Repository.Root).ShouldExitWith(2);
        var unknownArtifact = ProcessStreams.Run(Repository.PathOf("build.sh"), ["--target=Lineage", "--artifact=zzzz", .. Locations(env)], Repository.Root).ShouldExitWith(2);

        second.ShouldNotBe(first);
        Directory.GetDirectories(env.PathOf("ws/artifacts")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(new[] { first, second }.Order(StringComparer.Ordinal));
        rollback.Output.ShouldContain($"Rollback: artifacts/LATEST names {first} (was {second}). Every cell stays up to date; the next run that builds a new version publishes it.\n");
        Latest(env).ShouldBe(first);
        status.ShouldExitWith(0);
        unknown.ShouldExitWith(2);
        unknown.StandardError.ShouldContain("--to=zzzz: no version in ");
        unknown.StandardError.ShouldContain($"The versions, newest first:\n  {second}  published ");
        unknown.StandardError.ShouldMatch($@"\n  {first}  published [0-9: -]+Z  \(LATEST\)\n");
        Latest(env).ShouldBe(first);
        var secondManifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(env.PathOf($"ws/artifacts/{second}/manifest.json")))!;
        var modelHash = (string)secondManifest["files"]!.AsArray().Single(f => (string?)f!["name"] == "model.json")!["hash"]!;
        lineage.Output.ShouldContain($"Lineage of {env.PathOf($"ws/artifacts/{second}")}\n");
        lineage.Output.ShouldContain($"  built and published by run {RunId().Match(secondRun.Output).Groups[1].Value} at ");
        lineage.Output.ShouldNotContain(RunId().Match(firstRun.Output).Groups[1].Value);
        lineage.Output.ShouldContain(": --target=Package, --env=local, 366 partitions (");
        lineage.Output.ShouldMatch($@"\n    model\.json +{modelHash}\n");
        lineage.Output.ShouldContain($"  derived from 366 input files (xxh3-128 over their sorted \"path hash\" lines: ");
        lineage.Output.ShouldContain($"\n    … 363 more, to features/date={days[^1]}/features.csv ");
        lineage.Output.ShouldContain("\n  parameters: l2=");
        lineage.Output.ShouldContain("\n  approvals: none (every gate passed on its own)\n");
        lineage.Output.ShouldMatch(@"\n  ledger: .+ledger\.jsonl, [\d,]+ entries, chain intact\n");
        ambiguous.StandardError.ShouldContain($"--artifact=model-: 2 versions start with it (");
        ambiguous.StandardError.ShouldContain("give more of the hash. The versions, newest first:\n");
        unknownArtifact.StandardError.ShouldContain("--artifact=zzzz: no version in ");
        unknownArtifact.StandardError.ShouldContain($"  {first}  published ");
    }

    [Fact]
    public void Rollback_before_the_first_package_says_there_are_none_yet_exit_2()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 40);

        var run = ProcessStreams.Run(Repository.PathOf("build.sh"), ["--target=Rollback", "--to=abc", .. Locations(env)], Repository.Root).ShouldExitWith(2);

        run.StandardError.TrimEnd('\n').Split('\n')[^1].ShouldBe($"Rollback: no packages yet in {env.PathOf("ws/artifacts")}; a run that builds Package publishes the first (./build.sh --target=Package).");
        Directory.Exists(env.PathOf("ws/artifacts")).ShouldBeFalse();
    }

    [Fact]
    public void Every_picture_a_report_links_is_where_the_link_says_in_the_workspace_and_in_the_package()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 366, 4);
        BuildSh(env, "--target=Package").ShouldExitWith(0);
        var package = env.PathOf($"ws/artifacts/{Latest(env)}");

        var reports = WorkspaceReports.Select(env.PathOf).Append(Path.Combine(package, "drift_report.md")).ToList();
        foreach (var report in reports)
        {
            var links = ImageLink().Matches(File.ReadAllText(report)).Select(m => m.Groups[1].Value).ToList();
            links.ShouldNotBeEmpty(report);
            foreach (var link in links)
            {
                File.Exists(Path.Combine(Path.GetDirectoryName(report)!, link)).ShouldBeTrue($"{report} links {link}");
            }
        }

        File.Exists(Path.Combine(package, "report.md")).ShouldBeFalse("report.md records the runs that built it, so it stays out of the package (README: Report pictures)");
    }

    [GeneratedRegex(@"!\[[^\]]*\]\(([^)]+)\)")]
    private static partial Regex ImageLink();

    [GeneratedRegex(@"Cairn run (\S+) \(")]
    private static partial Regex RunId();

    private static string Latest(TestEnvironment env) => File.ReadAllText(env.PathOf("ws/artifacts/LATEST")).Trim();

    private static string[] Locations(TestEnvironment env) => [$"--workspace={env.PathOf("ws")}", $"--raw={env.PathOf("raw")}"];

    private static ProcessResult BuildSh(TestEnvironment env, params string[] arguments) =>
        Processes.Run(Repository.PathOf("build.sh"), [.. arguments, .. Locations(env)], Repository.Root);
}
