using System.Text.Json;
using Cairn.Hashing;
using Cairn.Pipelines.Weather;
using Cairn.Tests.CommandLine;
using Cairn.Tests.Support;

namespace Cairn.Tests.Modelling;

/// <summary>The reports through the real command line: <c>./build.sh --target=Package</c> on the whole sample, one raw folder per day.</summary>
[Collection(BuildScriptRuns.Name)]
public sealed class ReportsBuildScriptTests
{
    private const int Days = 1461;

    [Fact]
    public void Package_of_the_full_sample_carries_the_model_card_train_metrics_and_drift_json_and_the_readme_shows_its_drift_report()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", Days);

        Processes.Run(Repository.PathOf("build.sh"), ["--target=Package", $"--workspace={env.PathOf("ws")}", $"--raw={env.PathOf("raw")}"], Repository.Root)
            .ShouldExitWith(0);

        var workspace = env.PathOf("ws");
        var package = Path.Combine(workspace, "artifacts", File.ReadAllText(Path.Combine(workspace, "artifacts", "LATEST")).Trim());
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(package, "manifest.json")));
        var files = manifest.RootElement.GetProperty("files").EnumerateArray()
            .ToDictionary(file => file.GetProperty("name").GetString()!, file => file.GetProperty("hash").GetString()!);
        foreach (var (name, inWorkspace) in new[]
        {
            ("model_card.md", "data/model/model_card.md"),
            ("train_metrics.json", "data/model/train_metrics.json"),
            ("drift_report.json", "reports/drift_report.json"),
        })
        {
            files.ShouldContainKey(name);
            files[name].ShouldBe(ContentHasher.HashFile(Path.Combine(workspace, inWorkspace)).ToString(), name);
            File.ReadAllBytes(Path.Combine(package, name)).ShouldBe(File.ReadAllBytes(Path.Combine(workspace, inWorkspace)), name);
        }

        // The card names model.json and the features by the hashes the package's own manifest gives them.
        var card = File.ReadAllText(Path.Combine(package, "model_card.md"));
        card.ShouldContain($"| model.json | XXH3-128 `{files["model.json"]}` |\n", Case.Sensitive);
        var lineage = manifest.RootElement.GetProperty("lineage").EnumerateArray()
            .Select(entry => (Path: entry.GetProperty("path").GetString()!, Hash: entry.GetProperty("hash").GetString()!))
            .ToArray();
        lineage.Length.ShouldBe(Days);
        var lines = lineage.Select(entry => string.Join('/', entry.Path.Split('/')[^2..]) + " " + entry.Hash + "\n").Order(StringComparer.Ordinal);
        card.ShouldContain($"| Hash of the features files | XXH3-128 `{ContentHasher.HashString(string.Concat(lines))}` |\n", Case.Sensitive);
        card.ShouldContain("| Features files (partitions) | 1461, date=2012-01-01 … date=2015-12-31 |\n", Case.Sensitive);
        // The sample's holdout scores are what they were before the reports existed.
        card.ShouldContain("| Accuracy | 0.812287 | ≥ 0.72 | pass |\n| AUC | 0.879682 | ≥ 0.8 | pass |\n", Case.Sensitive);
        card.ShouldNotContain(workspace, Case.Sensitive);

        // drift_report.md links its chart by the name it is promoted to, beside it.
        var drift = File.ReadAllText(Path.Combine(workspace, "reports", "drift_report.md"));
        drift.ShouldContain("\n![PSI and KS of each feature against the thresholds](drift_report.svg)\n", Case.Sensitive);
        File.Exists(Path.Combine(workspace, "reports", "drift_report.svg")).ShouldBeTrue();
        var json = ModellingJson.Read<RainDrift>(Path.Combine(workspace, "reports", "drift_report.json"));
        json.RecentWindow.Definition.ShouldBe("holdout");
        json.TrainingWindow.Rows.ShouldBe(Days - 293, "⌈1461 × 0.2⌉ = 293 holdout dates");
        ReadmeExcerpt().Split('\n').Length.ShouldBeGreaterThan(10);
        drift.ShouldContain(ReadmeExcerpt() + "\n", Case.Sensitive);
    }

    /// <summary>The fenced block of the README's "The drift report" section.</summary>
    private static string ReadmeExcerpt()
    {
        var readme = File.ReadAllText(Repository.PathOf("README.md")).ReplaceLineEndings("\n");
        const string Heading = "\n### The drift report\n";
        const string Fence = "```markdown\n";
        readme.ShouldContain(Heading, Case.Sensitive);
        var section = readme[readme.IndexOf(Heading, StringComparison.Ordinal)..];
        section.ShouldContain(Fence, Case.Sensitive);
        var start = section.IndexOf(Fence, StringComparison.Ordinal) + Fence.Length;
        return section[start..section.IndexOf("\n```\n", start, StringComparison.Ordinal)];
    }
}
