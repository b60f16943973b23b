using System.Globalization;
using System.Reflection;
using Cairn.Pipelines.Weather;
using Cairn.Stages;
using Cairn.Tests.Support;
using Microsoft.Build.Framework;

namespace Cairn.Tests.Modelling;

public sealed class ModellingPipelineTests
{
    [Fact]
    public void Train_evaluate_and_report_on_the_full_sample_give_byte_identical_outputs_from_two_workspaces_and_cultures()
    {
        using var env = new TestEnvironment();

        var first = RunAll(env, "first");
        var second = InCulture("de-DE", () => RunAll(env, "second"));

        foreach (var output in SampleReports.Files.Append("report.md"))
        {
            File.ReadAllBytes(Path.Combine(second, output)).ShouldBe(File.ReadAllBytes(Path.Combine(first, output)), output);
        }
    }

    [Fact]
    public void The_report_of_the_full_sample_shows_the_measured_metrics_and_the_split_train_and_evaluate_agreed_on()
    {
        using var env = new TestEnvironment();

        var outputs = RunAll(env, "run");

        var model = ModellingJson.Read<RainModel>(Path.Combine(outputs, "model.json"));
        var metrics = ModellingJson.Read<RainMetrics>(Path.Combine(outputs, "metrics.json"));
        metrics.HoldoutDates.From.ShouldBe(model.TrainingDates.To.AddDays(1));
        (model.TrainingRows + metrics.Rows).ShouldBe(1461);
        var report = File.ReadAllText(Path.Combine(outputs, "report.md"));
        report.ShouldContain("| AUC | 0.879881 | ≥ 0.8 | pass |\n", Case.Sensitive);
        report.ShouldContain("| Accuracy | 0.812287 | ≥ 0.72 | pass |\n", Case.Sensitive);
        report.ShouldContain("| Log loss | 0.421906 | ≤ 0.52 | pass |\n", Case.Sensitive);
        report.ShouldContain("| Training dates | 2012-01-01..2015-03-13 |\n", Case.Sensitive);
        report.ShouldContain("| Holdout dates | 2015-03-14..2015-12-31 |\n", Case.Sensitive);
        report.ShouldContain("```mermaid\nflowchart LR\n    Ingest --> Validate\n", Case.Sensitive);
    }

    [Fact]
    public void Train_and_evaluate_config_keep_the_same_holdout_fraction()
    {
        PipelineConfig.Read("evaluate.yaml").Double("holdout_fraction")
            .ShouldBe(PipelineConfig.Read("train.yaml").Double("holdout_fraction"));
    }

    [Theory]
    [InlineData("train.yaml", typeof(TrainRainModel))]
    [InlineData("evaluate.yaml", typeof(EvaluateRainModel))]
    public void Every_config_key_names_a_stage_parameter_of_its_stage(string config, Type stage)
    {
        var parameters = stage.GetProperties()
            .Where(property => property.GetCustomAttribute<StageParameterAttribute>() is not null)
            .Select(property => property.Name)
            .ToArray();

        foreach (var key in PipelineConfig.Read(config).Keys)
        {
            var property = string.Concat(key.Split('_').Select(word => char.ToUpperInvariant(word[0]) + word[1..]));
            parameters.ShouldContain(property, $"{config} key '{key}'");
        }
    }

    /// <summary>Runs <paramref name="run"/> with a culture whose decimal separator is a comma, to show no output depends on it.</summary>
    private static T InCulture<T>(string name, Func<T> run)
    {
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
        try
        {
            1.5.ToString(CultureInfo.CurrentCulture).ShouldBe("1,5", "the test needs culture data to mean anything");
            return run();
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    /// <summary>Runs Train, Evaluate (every report bound) and Report with the real config on the whole sample as daily partitions under its own folder.</summary>
    private static string RunAll(TestEnvironment env, string folder)
    {
        var outputs = SampleReports.OfFullSample(env, folder).Folder;
        var engine = new RecordingBuildEngine();
        var report = new WeatherReport
        {
            BuildEngine = engine,
            Model = Path.Combine(outputs, "model.json"),
            Metrics = Path.Combine(outputs, "metrics.json"),
            Profiles = Items(env, Path.Combine(folder, "profiles"), "profile.json", _ => "{\"rows\":1,\"rows_with_violations\":0}\n"),
            Quarantine = Items(env, Path.Combine(folder, "quarantine"), "quarantine.csv", day => "date,reason\n" + (day.Wind > 9 ? FormattableString.Invariant($"{day.Date:yyyy-MM-dd},windy\n") : string.Empty)),
            DagEdges = ReportFixture.Edges,
            Report = Path.Combine(outputs, "report.md"),
        };
        report.Execute().ShouldBeTrue(engine.Log);
        engine.AssertNoErrors();
        return outputs;
    }

    private static ITaskItem[] Items(TestEnvironment env, string folder, string name, Func<SampleDay, string> content) =>
        SampleFeatures.Days
            .Select(day => SampleFeatures.Item(env.WriteFile(Path.Combine(folder, FormattableString.Invariant($"date={day.Date:yyyy-MM-dd}"), name), content(day))))
            .ToArray();
}
