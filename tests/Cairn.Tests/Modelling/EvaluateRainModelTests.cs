using System.Globalization;
using System.Text;
using Cairn.Pipelines.Weather;
using Cairn.Tests.Support;
using Microsoft.Build.Framework;

namespace Cairn.Tests.Modelling;

public sealed class EvaluateRainModelTests
{
    private static readonly DateOnly Day1 = new(2020, 1, 1);

    [Fact]
    public void The_model_trained_on_the_full_sample_scores_a_sensible_auc_and_passes_the_configured_thresholds()
    {
        using var env = new TestEnvironment();
        var features = SampleFeatures.WriteMonthly(env, "features", SampleFeatures.Days);
        var model = Train(env, features);
        var engine = new RecordingBuildEngine();
        var evaluate = ModellingStages.Evaluate(engine, features, model, env.PathOf("out/metrics.json"));

        evaluate.Execute().ShouldBeTrue(engine.Log);

        engine.AssertNoErrors();
        evaluate.HoldoutRows.ShouldBe(293);
        evaluate.Auc.ShouldBeGreaterThan(0.85);
        evaluate.Accuracy.ShouldBeGreaterThan(0.78);
        evaluate.LogLoss.ShouldBeLessThan(0.45);
        var metrics = ModellingJson.Read<RainMetrics>(env.PathOf("out/metrics.json"));
        metrics.Auc.ShouldBe(evaluate.Auc);
        metrics.Rows.ShouldBe(293);
        metrics.Positives.ShouldBe(110);
        metrics.HoldoutDates.ToString().ShouldBe("2015-03-14..2015-12-31");
        metrics.Thresholds.MinAuc.ShouldBe(PipelineConfig.Read("evaluate.yaml").Double("min_auc"));
    }

    [Fact]
    public void Evaluating_twice_writes_byte_identical_metrics_json()
    {
        using var env = new TestEnvironment();
        var features = SampleFeatures.WriteMonthly(env, "features", SampleFeatures.Days);
        var model = Train(env, features);

        Evaluate(env, features, model, "first/metrics.json").ShouldBeTrue();
        Evaluate(env, features, model, "second/metrics.json").ShouldBeTrue();

        File.ReadAllBytes(env.PathOf("second/metrics.json")).ShouldBe(File.ReadAllBytes(env.PathOf("first/metrics.json")));
    }

    [Fact]
    public void A_breached_threshold_fails_with_CAIRN5001_naming_metric_value_threshold_and_config_file()
    {
        using var env = new TestEnvironment();
        var features = SampleFeatures.WriteMonthly(env, "features", SampleFeatures.Days);
        var model = Train(env, features);
        var engine = new RecordingBuildEngine();
        var evaluate = ModellingStages.Evaluate(engine, features, model, env.PathOf("out/metrics.json"));
        evaluate.MinAuc = 0.95;

        evaluate.Execute().ShouldBeFalse();

        engine.Errors.ShouldBe(
        [
            "CAIRN5001: auc 0.879881 is below min_auc 0.95 on the 293 holdout rows (2015-03-14..2015-12-31); the model is not packaged. Improve it (config/train.yaml) or change min_auc in config/evaluate.yaml",
        ]);
        evaluate.Auc.ShouldBe(0.879881);
        // metrics.json is still written, so the numbers behind the failure can be read; the engine discards a failed stage's outputs.
        File.Exists(env.PathOf("out/metrics.json")).ShouldBeTrue();
    }

    [Fact]
    public void Every_breached_threshold_is_reported_at_once()
    {
        using var env = new TestEnvironment();
        var features = SampleFeatures.WriteMonthly(env, "features", SampleFeatures.Days);
        var model = Train(env, features);
        var engine = new RecordingBuildEngine();
        var evaluate = ModellingStages.Evaluate(engine, features, model, env.PathOf("out/metrics.json"));
        evaluate.MinAccuracy = 0.9;
        evaluate.MinAuc = 0.95;
        evaluate.MaxLogLoss = 0.3;

        evaluate.Execute().ShouldBeFalse();

        engine.Errors.Select(error => error[..error.IndexOf(" is ", StringComparison.Ordinal)]).ShouldBe(
            ["CAIRN5001: accuracy 0.812287", "CAIRN5001: auc 0.879881", "CAIRN5001: log_loss 0.421906"]);
    }

    [Fact]
    public void Tied_scores_count_half_in_the_auc_and_accuracy_and_log_loss_follow_their_definitions()
    {
        // Holdout scores x with p = logistic(x): rainy days 1, 2, 2 and dry days 0, 2.
        // Of the 6 rainy/dry pairs, 3 rank the rainy day higher, 2 tie and 1 ranks it lower: AUC = 4/6.
        using var env = new TestEnvironment();
        var features = WriteXFeatures(env, [(5, true), (1, false), (4, true), (2, false), (3, true)], [(1, true), (2, true), (2, true), (0, false), (2, false)]);
        var model = WriteModel(env, intercept: 0, coefficient: 1);
        var engine = new RecordingBuildEngine();
        var evaluate = Lenient(engine, features, model, env.PathOf("out/metrics.json"));

        evaluate.Execute().ShouldBeTrue(engine.Log);

        double P(double x) => 1 / (1 + Math.Exp(-x));
        var logLoss = -(Math.Log(P(1)) + (2 * Math.Log(P(2))) + Math.Log(1 - P(0)) + Math.Log(1 - P(2))) / 5;
        evaluate.Auc.ShouldBe(0.666667);
        evaluate.Accuracy.ShouldBe(0.6);
        evaluate.LogLoss.ShouldBe(Math.Round(logLoss, 6));
        evaluate.HoldoutRows.ShouldBe(5);
    }

    [Fact]
    public void A_model_that_predicts_one_half_everywhere_scores_auc_one_half_and_log_loss_ln_2()
    {
        using var env = new TestEnvironment();
        var features = WriteXFeatures(env, [(1, true), (2, false), (3, true), (4, false)], [(1, true), (5, false), (3, false), (4, true)]);
        var model = WriteModel(env, intercept: 0, coefficient: 0, trainedTo: Day1.AddDays(3));
        var engine = new RecordingBuildEngine();
        var evaluate = Lenient(engine, features, model, env.PathOf("out/metrics.json"));

        evaluate.Execute().ShouldBeTrue(engine.Log);

        evaluate.Auc.ShouldBe(0.5);
        evaluate.LogLoss.ShouldBe(Math.Round(Math.Log(2), 6));
        evaluate.Accuracy.ShouldBe(0.5);
    }

    [Fact]
    public void A_holdout_fraction_larger_than_the_models_fails_with_CAIRN5005_instead_of_scoring_seen_rows()
    {
        using var env = new TestEnvironment();
        var features = SampleFeatures.WriteMonthly(env, "features", SampleFeatures.Days);
        var model = Train(env, features);
        var engine = new RecordingBuildEngine();
        var evaluate = ModellingStages.Evaluate(engine, features, model, env.PathOf("out/metrics.json"));
        evaluate.HoldoutFraction = 0.3;

        evaluate.Execute().ShouldBeFalse();

        engine.AssertError("CAIRN5005").ShouldBe(
            "CAIRN5005: the holdout starts on 2014-10-19 but the model was trained on dates up to 2015-03-13, so it would be scored on rows it has already seen; the model was trained with holdout_fraction 0.2 but evaluation uses 0.3: keep holdout_fraction identical in config/train.yaml and config/evaluate.yaml");
        File.Exists(env.PathOf("out/metrics.json")).ShouldBeFalse();
    }

    [Fact]
    public void Features_from_later_partitions_than_the_model_saw_overlapping_its_training_dates_fail_with_CAIRN5005()
    {
        using var env = new TestEnvironment();
        var features = WriteXFeatures(env, [(1, true), (2, false), (3, true)], [(1, true), (2, false), (3, true)]);
        var model = WriteModel(env, intercept: 0, coefficient: 1, trainedTo: Day1.AddDays(3));
        var engine = new RecordingBuildEngine();

        Lenient(engine, features, model, env.PathOf("out/metrics.json")).Execute().ShouldBeFalse();

        engine.AssertError("CAIRN5005").ShouldBe(
            "CAIRN5005: the holdout starts on 2020-01-04 but the model was trained on dates up to 2020-01-04, so it would be scored on rows it has already seen; evaluate the model on the partitions it was trained from (the same --from/--to)");
    }

    [Fact]
    public void A_holdout_of_one_class_fails_with_CAIRN5003_because_auc_is_undefined()
    {
        using var env = new TestEnvironment();
        var features = WriteXFeatures(env, [(1, true), (2, false), (3, true)], [(1, false), (2, false), (3, false)]);
        var model = WriteModel(env, intercept: 0, coefficient: 1, trainedTo: Day1.AddDays(2));
        var engine = new RecordingBuildEngine();

        Lenient(engine, features, model, env.PathOf("out/metrics.json")).Execute().ShouldBeFalse();

        engine.AssertError("CAIRN5003").ShouldBe(
            "CAIRN5003: the 3 holdout rows (2020-01-04..2020-01-06) all have rain = 0, so AUC is undefined; select more partitions with --from/--to, or raise holdout_fraction in config/train.yaml and config/evaluate.yaml");
    }

    [Fact]
    public void A_model_whose_lists_disagree_fails_with_CAIRN5002()
    {
        using var env = new TestEnvironment();
        var features = WriteXFeatures(env, [(1, true), (2, false)], [(1, true), (2, false)]);
        var model = env.WriteFile("model/model.json", ModellingJson.Serialize(HandMadeModel(0, 1, Day1.AddDays(1)) with { Coefficients = [1, 2] }));
        var engine = new RecordingBuildEngine();

        Lenient(engine, features, model, env.PathOf("out/metrics.json")).Execute().ShouldBeFalse();

        engine.AssertError("CAIRN5002").ShouldBe(
            $"CAIRN5002: model file '{model}' cannot be used: it lists 1 features but 1 means, 1 stds and 2 coefficients; re-run the Train stage to write it again");
    }

    [Fact]
    public void A_model_file_that_is_not_a_model_fails_with_CAIRN5002_and_the_fix()
    {
        using var env = new TestEnvironment();
        var features = WriteXFeatures(env, [(1, true), (2, false)], [(1, true), (2, false)]);
        var model = env.WriteFile("model/model.json", "{\"kind\": \"logistic_regression\"}\n");
        var engine = new RecordingBuildEngine();

        Lenient(engine, features, model, env.PathOf("out/metrics.json")).Execute().ShouldBeFalse();

        var error = engine.AssertError("CAIRN5002");
        error.ShouldStartWith($"CAIRN5002: model file '{model}' cannot be used: ", Case.Sensitive);
        error.ShouldContain("missing required properties including: 'label'", Case.Sensitive);
        error.ShouldEndWith("'coefficients'; re-run the Train stage to write it again", Case.Sensitive);
    }

    [Fact]
    public void Every_invalid_threshold_is_reported_at_once_with_CAIRN5004()
    {
        using var env = new TestEnvironment();
        var features = WriteXFeatures(env, [(1, true), (2, false)], [(1, true), (2, false)]);
        var engine = new RecordingBuildEngine();
        var evaluate = Lenient(engine, features, WriteModel(env, 0, 1), env.PathOf("out/metrics.json"));
        evaluate.MinAuc = 1.5;
        evaluate.MaxLogLoss = 0;

        evaluate.Execute().ShouldBeFalse();

        engine.Errors.ShouldBe(
        [
            "CAIRN5004: min_auc is 1.5; set it between 0 and 1 in config/evaluate.yaml",
            "CAIRN5004: max_log_loss is 0; set it to a positive number in config/evaluate.yaml",
        ]);
    }

    private static string Train(TestEnvironment env, ITaskItem[] features)
    {
        var engine = new RecordingBuildEngine();
        ModellingStages.Train(engine, features, env.PathOf("model/model.json")).Execute().ShouldBeTrue(engine.Log);
        return env.PathOf("model/model.json");
    }

    private static bool Evaluate(TestEnvironment env, ITaskItem[] features, string model, string metrics)
    {
        var engine = new RecordingBuildEngine();
        var result = ModellingStages.Evaluate(engine, features, model, env.PathOf(metrics)).Execute();
        engine.AssertNoErrors();
        return result;
    }

    /// <summary>Evaluate on hand-made data: half the dates held out, no threshold to breach.</summary>
    private static EvaluateRainModel Lenient(RecordingBuildEngine engine, ITaskItem[] features, string model, string metrics) => new()
    {
        BuildEngine = engine,
        Features = features,
        Model = model,
        Metrics = metrics,
        HoldoutFraction = 0.5,
        MinAccuracy = 0,
        MinAuc = 0,
        MaxLogLoss = 10,
    };

    /// <summary>A features file with one feature x: the training rows on the first dates, the holdout rows on the dates after.</summary>
    private static ITaskItem[] WriteXFeatures(TestEnvironment env, (double X, bool Rain)[] training, (double X, bool Rain)[] holdout)
    {
        var text = new StringBuilder("date,x,rain\n");
        var rows = training.Concat(holdout).ToArray();
        for (var i = 0; i < rows.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Day1.AddDays(i):yyyy-MM-dd},{rows[i].X},{(rows[i].Rain ? 1 : 0)}\n");
        }

        return [SampleFeatures.Item(env.WriteFile("features/features.csv", text.ToString()))];
    }

    private static string WriteModel(TestEnvironment env, double intercept, double coefficient, DateOnly? trainedTo = null) =>
        env.WriteFile("model/model.json", ModellingJson.Serialize(HandMadeModel(intercept, coefficient, trainedTo ?? Day1.AddDays(4))));

    private static RainModel HandMadeModel(double intercept, double coefficient, DateOnly trainedTo) => new()
    {
        Kind = RainModel.LogisticRegression,
        Label = "rain",
        Features = ["x"],
        Means = [0],
        Stds = [1],
        Intercept = intercept,
        Coefficients = [coefficient],
        Iterations = 1,
        Converged = true,
        TrainingRows = trainedTo.DayNumber - Day1.DayNumber + 1,
        TrainingDates = new DateRange { From = Day1, To = trainedTo, Dates = trainedTo.DayNumber - Day1.DayNumber + 1 },
        Parameters = new RainModelParameters { L2 = 1, MaxIterations = 50, Tolerance = 1e-8, Seed = 42, HoldoutFraction = 0.5, MinTrainingRows = 1 },
    };
}
