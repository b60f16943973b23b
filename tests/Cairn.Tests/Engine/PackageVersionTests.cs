namespace Cairn.Tests.Engine;

/// <summary>
/// Publication after a run: a stage's package folder becomes a version beside the earlier ones, <c>LATEST</c> names the
/// newest, <c>keep:</c> removes the oldest, and pointing <c>LATEST</c> back leaves every cell up to date.
/// </summary>
public sealed class PackageVersionTests
{
    [Fact]
    public void Each_new_package_is_a_version_beside_the_earlier_ones_and_keep_removes_the_oldest_one_line_each()
    {
        using var h = Harness(keep: 2);
        var names = new List<string>();
        foreach (var content in new[] { "a\n", "b\n", "c\n" })
        {
            h.WriteRaw("2013-05-01", content);
            var run = h.Run().ShouldSucceed();
            names.Add(Latest(h));
            run.Output.ShouldContain($"Package: published artifacts/{names[^1]}; artifacts/LATEST names it\n");
        }

        names.Distinct().Count().ShouldBe(3);
        Versions(h).ShouldBe(names.Skip(1).Order(StringComparer.Ordinal));
        File.ReadAllText(h.WorkspaceFile($"artifacts/{names[2]}/all.txt")).ShouldBe("C!\n");
        var last = h.Run().ShouldSucceed();
        last.Output.ShouldNotContain("published", Case.Sensitive);
        last.Output.ShouldNotContain("removed", Case.Sensitive);
    }

    [Fact]
    public void The_run_that_passes_keep_says_which_folder_it_removed()
    {
        using var h = Harness(keep: 1);
        h.WriteRaw("2013-05-01", "a\n");
        h.Run().ShouldSucceed();
        var first = Latest(h);
        h.WriteRaw("2013-05-01", "b\n");

        var second = h.Run().ShouldSucceed();

        second.Output.ShouldContain($"Package: removed artifacts/{first}, the oldest beyond keep: 1\n");
        Versions(h).ShouldBe([Latest(h)]);
    }

    [Fact]
    public void Rollback_points_latest_back_the_cells_stay_up_to_date_and_a_rebuilt_version_is_published_again()
    {
        using var h = Harness(keep: null);
        h.WriteRaw("2013-05-01", "a\n");
        h.Run().ShouldSucceed();
        var first = Latest(h);
        h.WriteRaw("2013-05-01", "b\n");
        h.Run().ShouldSucceed();
        var second = Latest(h);

        var output = new StringWriter();
        using (var session = h.OpenHostTarget("Rollback", output, "--to=" + first[(first.LastIndexOf('-') + 1)..][..6]))
        {
            session.Rollback();
        }

        Latest(h).ShouldBe(first);
        output.ToString().ShouldContain($"Rollback: artifacts/LATEST names {first} (was {second}).");
        var noop = h.Run().ShouldSucceed();
        noop.Output.ShouldContain("Package: skipped, up to date\n");
        Latest(h).ShouldBe(first, "a run that builds nothing new publishes nothing");
        h.WriteRaw("2013-05-01", "a\n");
        h.Run().ShouldSucceed().Output.ShouldContain($"Package: published artifacts/{first} (already there: published again); artifacts/LATEST names it\n");
        Versions(h).ShouldBe(new[] { first, second }.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("model-", "--to=model-: 2 versions start with it (")]
    [InlineData("zzzz", "--to=zzzz: no version in ")]
    [InlineData(null, "Rollback needs --to=HASH, a prefix of the version's hash that LATEST should name. The versions, newest first:\n  model-")]
    public void Rollback_to_an_unknown_or_ambiguous_version_is_refused_listing_the_versions(string? prefix, string message)
    {
        using var h = Harness(keep: null);
        h.WriteRaw("2013-05-01", "a\n");
        h.Run().ShouldSucceed();
        h.WriteRaw("2013-05-01", "b\n");
        h.Run().ShouldSucceed();
        var latest = Latest(h);

        using var session = h.OpenHostTarget("Rollback", new StringWriter(), prefix is null ? [] : ["--to=" + prefix]);
        var error = Should.Throw<CairnUsageException>(session.Rollback);

        error.Message.ShouldStartWith(message);
        error.Message.ShouldContain($"  {latest}  published ");
        error.Message.ShouldContain("  (LATEST)");
        Latest(h).ShouldBe(latest);
    }

    [Fact]
    public void Rollback_before_any_package_says_there_are_none_yet()
    {
        using var h = Harness(keep: null);
        h.WriteRaw("2013-05-01", "a\n");

        using var session = h.OpenHostTarget("Rollback", new StringWriter(), "--to=abc");
        var error = Should.Throw<CairnUsageException>(session.Rollback);

        error.Message.ShouldStartWith("Rollback: no packages yet in ");
        error.Message.ShouldEndWith("; a run that builds Package publishes the first (./build.sh --target=Package).");
    }

    [Theory]
    [InlineData("to: data", "publish.to 'data' overlaps the output 'data/package' it publishes from")]
    [InlineData("to: ../elsewhere", "publish.to '../elsewhere' must be a plain workspace-relative folder, e.g. artifacts.")]
    [InlineData("to: artifacts\n      keep: 0", "publish.keep must be a whole number of at least 1 (how many versions to keep).")]
    public void A_publish_that_cannot_work_is_refused_before_anything_runs(string publish, string message)
    {
        using var h = new EngineHarness(
            PipelineYaml.TwoStages().ToString() + Package("data/package").Replace("publish:\n      to: artifacts", "publish:\n      " + publish, StringComparison.Ordinal),
            ("Upper", []),
            ("Concat", ["Upper"]),
            ("Package", ["Concat"]));
        h.WriteRaw("2013-05-01", "a\n");

        var run = h.Run();

        run.UsageError.ShouldBeTrue(run.Output);
        run.Failure!.Message.ShouldContain(message);
        Directory.Exists(h.Workspace).ShouldBeFalse();
    }

    private static EngineHarness Harness(int? keep) =>
        new(
            PipelineYaml.TwoStages().Stage("Package", "Cairn.Stages.Common.PackageArtifact", s => s.Input("Files", "data/all.txt").Output("ArtifactsDirectory", "data/package").Parameter("Name", "model").Publish("artifacts", keep)),
            ("Upper", []),
            ("Concat", ["Upper"]),
            ("Package", ["Concat"]));

    private static string Package(string output) =>
        $"  Package:\n    task: Cairn.Stages.Common.PackageArtifact\n    inputs:\n      Files: \"data/all.txt\"\n    outputs:\n      ArtifactsDirectory: \"{output}\"\n    parameters:\n      Name: model\n    publish:\n      to: artifacts\n";

    private static string Latest(EngineHarness h) => File.ReadAllText(h.WorkspaceFile("artifacts/LATEST")).Trim();

    private static IEnumerable<string> Versions(EngineHarness h) =>
        Directory.GetDirectories(h.WorkspaceFile("artifacts")).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;
}
