using System.Text.RegularExpressions;
using Cairn.Tests.Support;

namespace Cairn.Tests.CommandLine;

/// <summary>
/// Every block of sample output in the README (marked <c>&lt;!-- sample output: NAME --&gt;</c>) is what the full
/// sample really prints, with what changes from run to run masked: run ids, times, the user, the commit, the package's
/// hash, and the width of table columns.
/// </summary>
[Collection(BuildScriptRuns.Name)]
public sealed partial class ReadmeSampleOutputTests : IClassFixture<SampleRuns>
{
    private readonly SampleRuns _runs;

    public ReadmeSampleOutputTests(SampleRuns runs) => _runs = runs;

    [Theory]
    [InlineData("first-run")]
    [InlineData("no-op")]
    [InlineData("status")]
    [InlineData("changed-day")]
    [InlineData("history")]
    [InlineData("health")]
    [InlineData("backfill")]
    public void The_READMEs_sample_output_is_the_real_output(string name)
    {
        var run = _runs[name];

        Masked(ReadmeBlock(name)).ShouldBe(Masked(run.StandardOutput.Replace(_runs.Landing, "work/weather/landing", StringComparison.Ordinal).Replace(_runs.Workspace, "work/weather", StringComparison.Ordinal)));
        // The first build.sh of a test run may build the host first (its "Building …" lines on stderr); nothing else.
        string.Concat(run.StandardError.ReplaceLineEndings("\n").Split('\n').Where(l => !l.EndsWith('…'))).ShouldBeEmpty();
    }

    [Fact]
    public void A_no_op_run_of_the_full_sample_prints_one_line_per_stage_and_one_more_within_15_lines()
    {
        var stages = Cairn.Engine.Configuration.PipelineLoader.Load(Repository.PathOf("pipelines/weather/pipeline.yaml")).Stages.Count;
        var lines = _runs["no-op"].StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        lines.Length.ShouldBe(stages + 1, _runs["no-op"].StandardOutput);
        lines.Length.ShouldBeLessThanOrEqualTo(15, "issue 8: a no-op run of the sample in at most 15 lines");
    }

    [Fact]
    public void Every_sample_output_in_the_README_is_marked_so_it_is_checked()
    {
        var readme = File.ReadAllText(Repository.PathOf("README.md")).ReplaceLineEndings("\n");

        Marker().Matches(readme).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal)
            .ShouldBe(["backfill", "changed-day", "first-run", "health", "history", "no-op", "status"]);
        readme.ShouldNotContain("/weather.csv (", Case.Sensitive, "raw files in the landing zone are named after the sample, seattle-weather.csv");
    }

    private static string ReadmeBlock(string name)
    {
        var readme = File.ReadAllText(Repository.PathOf("README.md")).ReplaceLineEndings("\n");
        var marker = readme.IndexOf($"<!-- sample output: {name} -->\n```\n", StringComparison.Ordinal);
        marker.ShouldBeGreaterThan(0, $"README.md has no block marked '<!-- sample output: {name} -->' followed by a code fence");
        var start = readme.IndexOf('\n', readme.IndexOf("```", marker, StringComparison.Ordinal)) + 1;
        return readme[start..readme.IndexOf("```\n", start, StringComparison.Ordinal)];
    }

    private static string Masked(string text)
    {
        text = RunId().Replace(text.ReplaceLineEndings("\n"), "<run>");
        text = Timestamp().Replace(text, "<time>");
        text = Duration().Replace(text, "<t>");
        text = Package().Replace(text, "model-<hash>");
        text = Who().Replace(text, "<who>  <commit>");
        return Spaces().Replace(text, " ").Trim();
    }

    [GeneratedRegex(@"<!-- sample output: ([a-z-]+) -->")]
    private static partial Regex Marker();

    [GeneratedRegex(@"\d{8}T\d{6}Z-\d+-[0-9a-f]{4}")]
    private static partial Regex RunId();

    [GeneratedRegex(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"\d+(?:\.\d+)? (?:s|ms|min)\b")]
    private static partial Regex Duration();

    [GeneratedRegex(@"model-[0-9a-f]{16}")]
    private static partial Regex Package();

    [GeneratedRegex(@"\S+@\S+ +(?:[0-9a-f]{8}|-)$", RegexOptions.Multiline)]
    private static partial Regex Who();

    [GeneratedRegex(@"[ \t]+")]
    private static partial Regex Spaces();
}
