using System.Xml.Linq;
using Cairn.Pipelines.Weather;
using Cairn.Pipelines.Weather.Charts;
using Cairn.Tests.Reporting;
using Cairn.Tests.Support;

namespace Cairn.Tests.Modelling;

public sealed class DriftReportTests
{
    private const int TrainingDays = 1461 - 293;
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void The_drift_of_the_full_sample_matches_psi_and_ks_computed_the_slow_obvious_way()
    {
        using var env = new TestEnvironment();

        var drift = SampleReports.OfFullSample(env, "run").Drift;

        drift.TrainingWindow.ShouldBe(new DriftWindowRange { Definition = "training", From = new(2012, 1, 1), To = new(2015, 3, 13), Dates = TrainingDays, Rows = TrainingDays });
        drift.RecentWindow.ShouldBe(new DriftWindowRange { Definition = "holdout", From = new(2015, 3, 14), To = new(2015, 12, 31), Dates = 293, Rows = 293 });
        ShouldMatchByHand(drift, SampleFeatures.Days.Take(TrainingDays), SampleFeatures.Days.Skip(TrainingDays));
    }

    [Fact]
    public void The_drift_report_of_the_full_sample_matches_the_approved_text()
    {
        using var env = new TestEnvironment();

        var reports = SampleReports.OfFullSample(env, "run");

        Approved.ShouldMatch(reports.Read("drift_report.md"), "tests/Cairn.Tests/Modelling/DriftReport.expected.txt");
    }

    [Fact]
    public void A_last_n_days_window_compares_the_training_rows_with_exactly_those_days()
    {
        using var env = new TestEnvironment();

        var reports = SampleReports.OfFullSample(env, "run", evaluate => evaluate.DriftWindow = "last 30 days");

        var drift = reports.Drift;
        drift.RecentWindow.ShouldBe(new DriftWindowRange { Definition = "last 30 days", From = new(2015, 12, 2), To = new(2015, 12, 31), Dates = 30, Rows = 30 });
        drift.TrainingWindow.Rows.ShouldBe(TrainingDays);
        ShouldMatchByHand(drift, SampleFeatures.Days.Take(TrainingDays), SampleFeatures.Days.TakeLast(30));
        reports.Read("drift_report.md").ShouldContain("| Recent: the last 30 days | 30 | 30 | 2015-12-02 | 2015-12-31 |\n", Case.Sensitive);
        reports.Metrics.Rows.ShouldBe(293, "the drift window does not change what the model is scored on");
    }

    [Fact]
    public void A_last_n_days_window_that_reaches_into_the_training_dates_fails_with_CAIRN5006_and_writes_nothing()
    {
        using var env = new TestEnvironment();
        var features = SampleFeatures.WriteDaily(env, "features", SampleFeatures.Days);
        var engine = new RecordingBuildEngine();
        ModellingStages.Train(engine, features, env.PathOf("out/model.json"), env.PathOf("out/train_metrics.json")).Execute().ShouldBeTrue(engine.Log);
        var evaluate = SampleReports.Evaluate(engine, env.PathOf("out"), features);
        evaluate.DriftWindow = "last 300 days";

        evaluate.Execute().ShouldBeFalse();

        engine.Errors.ShouldBe(
        [
            "CAIRN5006: drift_window 'last 300 days' reaches back to 2015-03-07, into the training dates (up to 2015-03-13), but the two windows must not share a row; the holdout has 293 dates: choose at most 'last 293 days', or 'holdout', in config/evaluate.yaml",
        ]);
        Directory.GetFiles(env.PathOf("out")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["model.json", "train_metrics.json"]);
    }

    [Fact]
    public void Partitions_that_are_all_holdout_leave_no_training_window_and_fail_with_CAIRN5006()
    {
        using var env = new TestEnvironment();
        var engine = new RecordingBuildEngine();
        var training = SampleFeatures.WriteMonthly(env, "training", SampleFeatures.Days);
        ModellingStages.Train(engine, training, env.PathOf("out/model.json"), env.PathOf("out/train_metrics.json")).Execute().ShouldBeTrue(engine.Log);
        // One date after the model's training window, with a dry and a rainy row, so it can be scored but not compared.
        var day = SampleFeatures.Days.Single(d => d.Date == new DateOnly(2015, 6, 1));
        var oneDate = SampleFeatures.Item(env.WriteFile("one/features.csv", SampleFeatures.Csv([day with { Precipitation = 0 }, day with { Precipitation = 2 }])));
        var evaluate = SampleReports.Evaluate(engine, env.PathOf("out"), [oneDate]);

        evaluate.Execute().ShouldBeFalse();

        engine.Errors.ShouldBe(
        [
            "CAIRN5006: the selected partitions hold 1 date(s), all of them holdout, so there is no training window to measure drift against; select more partitions with --from/--to",
        ]);
    }

    [Fact]
    public void Drift_is_reported_not_a_gate_so_evaluate_succeeds_when_every_feature_alerts()
    {
        using var env = new TestEnvironment();

        var reports = SampleReports.OfFullSample(env, "run", evaluate =>
        {
            evaluate.DriftPsiWarn = 0.0001;
            evaluate.DriftPsiAlert = 0.0002;
            evaluate.DriftKsAlert = 0.0001;
        });

        var drift = reports.Drift;
        drift.Alerts.ShouldBe(6);
        drift.Features.Select(f => f.Flag).ShouldAllBe(flag => flag == DriftFlags.Alert);
        reports.Read("drift_report.md").ShouldContain("\nAlert: temp_max, temp_min, temp_range, wind, doy_sin, doy_cos.\n", Case.Sensitive);
        reports.Read("drift_report.md").ShouldContain("The flags are reported, not a gate", Case.Sensitive);
        File.Exists(reports.PathOf("metrics.json")).ShouldBeTrue();
        File.Exists(reports.PathOf("model_card.md")).ShouldBeTrue();
    }

    [Fact]
    public void Evaluate_reports_how_many_features_alert_and_warn_as_metrics()
    {
        using var env = new TestEnvironment();
        var features = SampleFeatures.WriteDaily(env, "features", SampleFeatures.Days);
        var engine = new RecordingBuildEngine();
        ModellingStages.Train(engine, features, env.PathOf("out/model.json"), env.PathOf("out/train_metrics.json")).Execute().ShouldBeTrue(engine.Log);
        var evaluate = SampleReports.Evaluate(engine, env.PathOf("out"), features);

        evaluate.Execute().ShouldBeTrue(engine.Log);

        var drift = ModellingJson.Read<RainDrift>(env.PathOf("out/drift_report.json"));
        evaluate.DriftAlerts.ShouldBe(drift.Features.Count(f => f.Flag == DriftFlags.Alert));
        evaluate.DriftWarnings.ShouldBe(drift.Features.Count(f => f.Flag == DriftFlags.Warn));
        (evaluate.DriftAlerts + evaluate.DriftWarnings).ShouldBeGreaterThan(0, "the sample's holdout (March to December) drifts from four years of training rows");
        engine.Messages.ShouldContain(m => m.StartsWith("Evaluate: drift of the training window against the holdout (2015-03-14..2015-12-31), reported, not a gate. Alert: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_invalid_drift_parameter_is_reported_at_once_with_CAIRN5004()
    {
        using var env = new TestEnvironment();
        var features = SampleFeatures.WriteMonthly(env, "features", SampleFeatures.Days.Take(90));
        var engine = new RecordingBuildEngine();
        var evaluate = SampleReports.Evaluate(engine, env.PathOf("out"), features);
        evaluate.DriftWindow = "lately";
        evaluate.DriftBins = 1;
        evaluate.DriftPsiWarn = 0.3;
        evaluate.DriftPsiAlert = 0.2;
        evaluate.DriftKsAlert = 1.5;
        evaluate.TrainMetrics = string.Empty;

        evaluate.Execute().ShouldBeFalse();

        engine.Errors.ShouldBe(
        [
            "CAIRN5004: drift_window is 'lately'; write holdout, or last N days (e.g. last 90 days) in config/evaluate.yaml",
            "CAIRN5004: drift_bins is 1; set it to 2 or more in config/evaluate.yaml",
            "CAIRN5004: drift_psi_alert is 0.2, below drift_psi_warn 0.3; set it at or above drift_psi_warn in config/evaluate.yaml",
            "CAIRN5004: drift_ks_alert is 1.5; set it above 0 and at most 1 in config/evaluate.yaml",
            "CAIRN5004: ModelCard is bound but TrainMetrics is not, and the card shows the training metrics; bind TrainMetrics to the Train stage's train_metrics.json in the pipeline file",
        ]);
    }

    [Theory]
    [InlineData("last 1 day", 1)]
    [InlineData(" last 90 days ", 90)]
    [InlineData("holdout", null)]
    public void The_drift_window_is_holdout_or_last_n_days(string text, int? days)
    {
        RecentWindow.TryParse(text, out var window).ShouldBeTrue();
        window.LastDays.ShouldBe(days);
    }

    [Theory]
    [InlineData("last 0 days")]
    [InlineData("last -3 days")]
    [InlineData("Holdout")]
    [InlineData("90 days")]
    [InlineData("")]
    public void Other_drift_windows_are_refused(string text) => RecentWindow.TryParse(text, out _).ShouldBeFalse();

    [Fact]
    public void The_report_links_the_chart_by_its_path_relative_to_the_report()
    {
        using var env = new TestEnvironment();
        var features = SampleFeatures.WriteMonthly(env, "features", SampleFeatures.Days);
        var engine = new RecordingBuildEngine();
        ModellingStages.Train(engine, features, env.PathOf("out/model.json"), env.PathOf("out/train_metrics.json")).Execute().ShouldBeTrue(engine.Log);

        string Report(Action<EvaluateRainModel> bind)
        {
            var evaluate = SampleReports.Evaluate(engine, env.PathOf("out"), features);
            bind(evaluate);
            evaluate.Execute().ShouldBeTrue(engine.Log);
            return env.ReadFile("out/drift_report.md");
        }

        Report(e => e.DriftChart = env.PathOf("out/drift_report.svg"))
            .ShouldContain("\n![PSI and KS of each feature against the thresholds](drift_report.svg)\n", Case.Sensitive);
        Report(e => e.DriftChart = env.PathOf("out/charts/drift.svg"))
            .ShouldContain("](charts/drift.svg)\n", Case.Sensitive);
        Report(e => e.DriftChart = env.PathOf("out/drift.svg"))
            .ShouldContain("](drift.svg)\n", Case.Sensitive);
        Report(e => e.DriftChart = string.Empty)
            .ShouldNotContain("![", Case.Sensitive);
    }

    [Fact]
    public void The_chart_draws_each_features_psi_and_ks_in_the_colour_of_its_level_with_the_thresholds_dashed()
    {
        using var env = new TestEnvironment();
        var reports = SampleReports.OfFullSample(env, "run");
        var svg = reports.Read("drift_report.svg");
        var drift = reports.Drift;

        var document = XDocument.Parse(svg);
        var bars = document.Descendants(Svg + "rect").Where(rect => rect.Element(Svg + "title") is not null)
            .ToDictionary(rect => rect.Element(Svg + "title")!.Value, rect => rect.Attribute("fill")!.Value);
        bars.Count.ShouldBe(2 * drift.Features.Count);
        var temperature = drift.Features.Single(f => f.Feature == "temp_max");
        // On the sample temp_max's PSI only warns (0.19 < 0.25) while its KS alerts (0.21 ≥ 0.2).
        bars[FormattableString.Invariant($"temp_max: PSI {temperature.Psi} (warn)")].ShouldBe(DriftChart.WarnColour);
        bars[FormattableString.Invariant($"temp_max: KS {temperature.Ks} (alert)")].ShouldBe(DriftChart.AlertColour);
        var range = drift.Features.Single(f => f.Feature == "temp_range");
        bars[FormattableString.Invariant($"temp_range: PSI {range.Psi} (stable)")].ShouldBe(DriftChart.StableColour);
        document.Descendants(Svg + "line").Count(line => line.Attribute("stroke-dasharray") is not null).ShouldBe(3);
        document.Descendants(Svg + "text").Select(t => t.Value).ShouldContain("warn 0.1");
        document.Descendants(Svg + "text").Select(t => t.Value).ShouldContain("alert 0.25");
        document.Descendants(Svg + "text").Select(t => t.Value).ShouldContain("alert 0.2");

        var png = SvgChartRenderer.WithSkia(env, svg);
        png.Width.ShouldBe(760);
        png.CountNear(DriftChart.AlertColour).ShouldBeGreaterThan(1_000);
        png.CountNear(DriftChart.WarnColour).ShouldBeGreaterThan(5_000);
        png.CountNear(DriftChart.StableColour).ShouldBeGreaterThan(5_000);
    }

    private static void ShouldMatchByHand(RainDrift drift, IEnumerable<SampleDay> trainingDays, IEnumerable<SampleDay> recentDays)
    {
        var config = PipelineConfig.Read("evaluate.yaml");
        var training = trainingDays.Select(SampleFeatures.Values).ToArray();
        var recent = recentDays.Select(SampleFeatures.Values).ToArray();
        drift.Features.Select(f => f.Feature).ShouldBe(SampleFeatures.FeatureColumns);
        for (var i = 0; i < SampleFeatures.FeatureColumns.Length; i++)
        {
            var feature = drift.Features[i];
            var t = training.Select(values => values[i]).ToArray();
            var r = recent.Select(values => values[i]).ToArray();
            var psi = DriftByHand.Psi(t, r, 10);
            var ks = DriftByHand.Ks(t, r);
            var name = feature.Feature;
            feature.Psi.ShouldBe(psi, 5.1e-7, name);
            feature.Ks.ShouldBe(ks, 5.1e-7, name);
            feature.TrainingMean.ShouldBe(t.Average(), 5.1e-7, name);
            feature.RecentMean.ShouldBe(r.Average(), 5.1e-7, name);
            var edges = DriftByHand.Edges(t, 10);
            feature.Bins.Select(bin => bin.Upper).ShouldBe([.. edges.Select(edge => (double?)edge), null], name);
            feature.Bins.Select(bin => bin.Training).ShouldBe(DriftByHand.Counts(t, edges), name);
            feature.Bins.Select(bin => bin.Recent).ShouldBe(DriftByHand.Counts(r, edges), name);
            var flag = psi >= config.Double("drift_psi_alert") || ks >= config.Double("drift_ks_alert") ? "alert"
                : psi >= config.Double("drift_psi_warn") ? "warn"
                : "stable";
            feature.Flag.ShouldBe(flag, name);
        }
    }
}
