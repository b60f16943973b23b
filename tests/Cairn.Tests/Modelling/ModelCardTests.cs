using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Cairn.Pipelines.Weather;
using Cairn.Tests.Reporting;
using Cairn.Tests.Support;

namespace Cairn.Tests.Modelling;

public sealed class ModelCardTests
{
    [Fact]
    public void The_model_card_of_the_full_sample_matches_the_approved_text()
    {
        using var env = new TestEnvironment();

        var reports = SampleReports.OfFullSample(env, "run");

        Approved.ShouldMatch(reports.Read("model_card.md"), "tests/Cairn.Tests/Modelling/ModelCard.expected.txt");
    }

    [Fact]
    public void The_card_names_model_json_and_the_features_files_by_hashes_recomputed_here()
    {
        using var env = new TestEnvironment();

        var reports = SampleReports.OfFullSample(env, "run");

        var card = reports.Read("model_card.md");
        var modelHash = Xxh3(File.ReadAllBytes(reports.PathOf("model.json")));
        card.ShouldContain($"| model.json | XXH3-128 `{modelHash}` |\n", Case.Sensitive);
        card.ShouldContain($"It describes model.json with XXH3-128 `{modelHash}`, packaged beside it.", Case.Sensitive);
        var lines = reports.Features
            .Select(item => item.ItemSpec)
            .Select(path => $"{Path.GetFileName(Path.GetDirectoryName(path))}/{Path.GetFileName(path)} {Xxh3(File.ReadAllBytes(path))}\n")
            .Order(StringComparer.Ordinal);
        card.ShouldContain($"| Hash of the features files | XXH3-128 `{Xxh3(Encoding.UTF8.GetBytes(string.Concat(lines)))}` |\n", Case.Sensitive);
        card.ShouldContain("| Features files (partitions) | 1461, date=2012-01-01 … date=2015-12-31 |\n", Case.Sensitive);
    }

    [Fact]
    public void The_card_shows_the_numbers_of_train_metrics_metrics_and_drift_json()
    {
        using var env = new TestEnvironment();

        var reports = SampleReports.OfFullSample(env, "run");

        var card = reports.Read("model_card.md");
        var training = reports.TrainingMetrics;
        var metrics = reports.Metrics;
        card.ShouldContain(Invariant($"| Accuracy | {training.Accuracy} |\n| AUC | {training.Auc} |\n| Log loss | {training.LogLoss} |\n"), Case.Sensitive);
        card.ShouldContain(Invariant($"| Rows with rain = 1 | {training.Positives} ("), Case.Sensitive);
        card.ShouldContain(Invariant($"| AUC | {metrics.Auc} | ≥ {metrics.Thresholds.MinAuc} | pass |\n"), Case.Sensitive);
        card.ShouldContain("| AUC | 0.879881 | ≥ 0.8 | pass |\n", Case.Sensitive);
        card.ShouldContain("| Accuracy | 0.812287 | ≥ 0.72 | pass |\n", Case.Sensitive);
        foreach (var feature in reports.Drift.Features)
        {
            card.ShouldContain(Invariant($" | {feature.Flag} | {feature.Psi:F4} | {feature.Ks:F4} |\n"), Case.Sensitive);
        }

        card.ShouldContain("\n## Approvals\n\nNone: the model passed its gates on its own.", Case.Sensitive);
    }

    [Fact]
    public void A_train_metrics_file_that_cannot_be_read_fails_with_CAIRN5007_naming_it()
    {
        using var env = new TestEnvironment();
        var features = SampleFeatures.WriteMonthly(env, "features", SampleFeatures.Days);
        var engine = new RecordingBuildEngine();
        ModellingStages.Train(engine, features, env.PathOf("out/model.json")).Execute().ShouldBeTrue(engine.Log);
        env.WriteFile("out/train_metrics.json", "{\"label\": \"rain\"}\n");
        var evaluate = SampleReports.Evaluate(engine, env.PathOf("out"), features);

        evaluate.Execute().ShouldBeFalse();

        var error = engine.AssertError("CAIRN5007");
        error.ShouldStartWith($"CAIRN5007: train_metrics.json file '{env.PathOf("out/train_metrics.json")}' cannot be used for the model card: ");
        error.ShouldEndWith("; re-run the Train stage to write it again");
        engine.Errors.Count.ShouldBe(1);
    }

    private static string Xxh3(byte[] bytes) => XxHash128.HashToUInt128(bytes).ToString("x32", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
