using System.Text.Json;
using Cairn.Tests.Support;

namespace Cairn.Tests.Modelling;

public sealed class TrainRainModelTests
{
    [Fact]
    public void Training_on_the_full_sample_converges_on_the_dates_before_the_holdout()
    {
        using var env = new TestEnvironment();
        var engine = new RecordingBuildEngine();
        var train = ModellingStages.Train(engine, SampleFeatures.WriteMonthly(env, "features", SampleFeatures.Days), env.PathOf("out/model.json"));

        train.Execute().ShouldBeTrue(engine.Log);

        engine.AssertNoErrors();
        train.RowsIn.ShouldBe(1461);
        train.TrainingRows.ShouldBe(1461 - 293);
        train.Iterations.ShouldBeInRange(2, 50);
        using var model = JsonDocument.Parse(env.ReadFile("out/model.json"));
        var root = model.RootElement;
        root.GetProperty("converged").GetBoolean().ShouldBeTrue();
        root.GetProperty("training_rows").GetInt64().ShouldBe(1168);
        root.GetProperty("training_dates").GetProperty("from").GetString().ShouldBe("2012-01-01");
        root.GetProperty("training_dates").GetProperty("to").GetString().ShouldBe("2015-03-13");
        root.GetProperty("features").EnumerateArray().Select(feature => feature.GetString())
            .ShouldBe(["temp_max", "temp_min", "temp_range", "wind", "doy_sin", "doy_cos"]);
        root.GetProperty("coefficients").GetArrayLength().ShouldBe(6);
        root.GetProperty("parameters").GetProperty("seed").GetInt32().ShouldBe(42);
    }

    [Fact]
    public void Training_twice_on_the_same_inputs_writes_byte_identical_model_json()
    {
        using var env = new TestEnvironment();
        var features = SampleFeatures.WriteMonthly(env, "features", SampleFeatures.Days);

        TrainInto(env, features, "first/model.json");
        TrainInto(env, features, "second/model.json");

        File.ReadAllBytes(env.PathOf("second/model.json")).ShouldBe(File.ReadAllBytes(env.PathOf("first/model.json")));
    }

    [Fact]
    public void Training_again_on_unchanged_inputs_leaves_model_json_and_its_timestamp_alone()
    {
        using var env = new TestEnvironment();
        var features = SampleFeatures.WriteMonthly(env, "features", SampleFeatures.Days);
        var model = TrainInto(env, features, "out/model.json");
        var earlier = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(model, earlier);

        TrainInto(env, features, "out/model.json");

        File.GetLastWriteTimeUtc(model).ShouldBe(earlier);
    }

    [Fact]
    public void Daily_and_monthly_partitions_of_the_same_days_in_any_order_give_byte_identical_model_json()
    {
        using var env = new TestEnvironment();
        var daily = SampleFeatures.WriteDaily(env, "daily", SampleFeatures.Days);
        var monthly = SampleFeatures.WriteMonthly(env, "monthly", SampleFeatures.Days).Reverse().ToArray();

        TrainInto(env, daily, "daily/model.json");
        TrainInto(env, monthly, "monthly/model.json");

        env.ReadFile("monthly/model.json").ShouldBe(env.ReadFile("daily/model.json"));
    }

    [Fact]
    public void A_different_seed_still_converges_to_the_same_coefficients_because_the_penalized_fit_has_one_optimum()
    {
        using var env = new TestEnvironment();
        var features = SampleFeatures.WriteMonthly(env, "features", SampleFeatures.Days);

        var seed42 = ReadModel(TrainInto(env, features, "seed42/model.json", train => train.Seed = 42));
        var seed7 = ReadModel(TrainInto(env, features, "seed7/model.json", train => train.Seed = 7));

        seed7.Converged.ShouldBeTrue();
        seed7.Parameters.Seed.ShouldBe(7);
        seed7.Intercept.ShouldBe(seed42.Intercept, 1e-9);
        for (var i = 0; i < seed42.Coefficients.Count; i++)
        {
            seed7.Coefficients[i].ShouldBe(seed42.Coefficients[i], 1e-9);
        }
    }

    [Fact]
    public void The_seed_sets_the_starting_point_so_a_loose_tolerance_stops_at_coefficients_that_differ_by_seed()
    {
        using var env = new TestEnvironment();
        var features = SampleFeatures.WriteMonthly(env, "features", SampleFeatures.Days);
        void Loose(Pipelines.Weather.TrainRainModel train) => train.Tolerance = 0.5;

        var seed1 = ReadModel(TrainInto(env, features, "seed1/model.json", train => { Loose(train); train.Seed = 1; }));
        var seed1Again = ReadModel(TrainInto(env, features, "seed1-again/model.json", train => { Loose(train); train.Seed = 1; }));
        var seed2 = ReadModel(TrainInto(env, features, "seed2/model.json", train => { Loose(train); train.Seed = 2; }));

        seed1Again.Coefficients.ShouldBe(seed1.Coefficients);
        seed2.Coefficients.ShouldNotBe(seed1.Coefficients);
        seed2.Coefficients.Zip(seed1.Coefficients, (a, b) => Math.Abs(a - b)).Max().ShouldBeLessThan(0.01);
    }

    [Fact]
    public void Too_few_training_rows_fail_with_CAIRN4001_naming_the_rows_and_the_fix()
    {
        using var env = new TestEnvironment();
        var engine = new RecordingBuildEngine();
        var train = ModellingStages.Train(engine, SampleFeatures.WriteDaily(env, "features", SampleFeatures.Days.Take(20)), env.PathOf("out/model.json"));

        train.Execute().ShouldBeFalse();

        engine.AssertError("CAIRN4001").ShouldBe(
            "CAIRN4001: the selected partitions give 20 rows on 20 dates; after holding out the last 4 dates for evaluation, 16 rows are left for training but min_training_rows is 30; select more partitions with --from/--to, or lower min_training_rows in config/train.yaml");
        engine.Errors.Count.ShouldBe(1);
        train.TrainingRows.ShouldBe(16);
        File.Exists(env.PathOf("out/model.json")).ShouldBeFalse();
    }

    [Fact]
    public void Training_rows_of_one_class_only_fail_with_CAIRN4001()
    {
        using var env = new TestEnvironment();
        var dryDays = SampleFeatures.Days.Where(day => !day.Rain).Take(50);
        var engine = new RecordingBuildEngine();
        var train = ModellingStages.Train(engine, SampleFeatures.WriteDaily(env, "features", dryDays), env.PathOf("out/model.json"));

        train.Execute().ShouldBeFalse();

        engine.AssertError("CAIRN4001").ShouldBe(
            "CAIRN4001: the selected partitions give 40 training rows and all of them have rain = 0, so there is nothing to tell apart; select more partitions with --from/--to so that both rain = 0 and rain = 1 occur");
        File.Exists(env.PathOf("out/model.json")).ShouldBeFalse();
    }

    [Fact]
    public void One_iteration_with_a_tiny_tolerance_fails_with_CAIRN4002_naming_iterations_and_tolerance()
    {
        using var env = new TestEnvironment();
        var engine = new RecordingBuildEngine();
        var train = ModellingStages.Train(engine, SampleFeatures.WriteMonthly(env, "features", SampleFeatures.Days), env.PathOf("out/model.json"));
        train.MaxIterations = 1;
        train.Tolerance = 1e-12;

        train.Execute().ShouldBeFalse();

        engine.AssertError("CAIRN4002").ShouldBe(
            "CAIRN4002: logistic regression did not converge within max_iterations 1: the last step still changed a coefficient by 0.922, above tolerance 1E-12; raise max_iterations or tolerance in config/train.yaml");
        train.Iterations.ShouldBe(1);
        File.Exists(env.PathOf("out/model.json")).ShouldBeFalse();
    }

    [Fact]
    public void Without_a_penalty_the_collinear_temperature_features_fail_with_CAIRN4002_asking_for_l2()
    {
        // temp_range is temp_max − temp_min, so the default feature set is exactly collinear: only l2 > 0 makes it solvable.
        using var env = new TestEnvironment();
        var engine = new RecordingBuildEngine();
        var train = ModellingStages.Train(engine, SampleFeatures.WriteMonthly(env, "features", SampleFeatures.Days), env.PathOf("out/model.json"));
        train.L2 = 0;

        train.Execute().ShouldBeFalse();

        engine.AssertError("CAIRN4002").ShouldBe(
            "CAIRN4002: logistic regression did not converge: at iteration 1 of max_iterations 50 (tolerance 1E-08) the Newton system became singular, as it does when classes are perfectly separable or features collinear; raise l2 (now 0) in config/train.yaml");
    }

    [Fact]
    public void A_feature_column_missing_from_a_file_fails_with_CAIRN4004_listing_the_columns_it_has()
    {
        using var env = new TestEnvironment();
        var features = SampleFeatures.WriteMonthly(env, "features", SampleFeatures.Days);
        var engine = new RecordingBuildEngine();
        var train = ModellingStages.Train(engine, features, env.PathOf("out/model.json"));
        train.FeatureColumns = ["temp_max", "humidity"];

        train.Execute().ShouldBeFalse();

        var first = features.Select(item => item.ItemSpec).Order(StringComparer.Ordinal).First();
        engine.AssertError("CAIRN4004").ShouldBe(
            $"CAIRN4004: features file '{first}' has no column 'humidity'; its columns are: date, precipitation, temp_max, temp_min, temp_range, wind, doy_sin, doy_cos, weather, rain; fix the Features stage output, or feature_columns and label in config/train.yaml");
    }

    [Fact]
    public void A_value_that_is_not_a_number_fails_with_CAIRN4004_naming_file_line_and_column()
    {
        using var env = new TestEnvironment();
        var features = SampleFeatures.WriteMonthly(env, "features", SampleFeatures.Days.Take(90)).ToList();
        var broken = env.WriteFile("broken/features.csv", SampleFeatures.Header + "\n2013-01-01,0,5.0,oops,1,2,0,1,sun,0\n");
        features.Add(SampleFeatures.Item(broken));
        var engine = new RecordingBuildEngine();
        var train = ModellingStages.Train(engine, [.. features], env.PathOf("out/model.json"));

        train.Execute().ShouldBeFalse();

        engine.AssertError("CAIRN4004").ShouldBe(
            $"CAIRN4004: features file '{broken}' line 2: temp_min 'oops' is not a finite number; fix the Features stage output, or feature_columns and label in config/train.yaml");
    }

    [Fact]
    public void Every_invalid_parameter_is_reported_at_once_with_CAIRN4003()
    {
        using var env = new TestEnvironment();
        var engine = new RecordingBuildEngine();
        var train = ModellingStages.Train(engine, SampleFeatures.WriteMonthly(env, "features", SampleFeatures.Days.Take(60)), env.PathOf("out/model.json"));
        train.FeatureColumns = ["wind", "wind", "rain"];
        train.L2 = -1;
        train.MaxIterations = 0;
        train.HoldoutFraction = 1;

        train.Execute().ShouldBeFalse();

        engine.Errors.ShouldBe(
        [
            "CAIRN4003: feature_columns lists 'wind' 2 times; list each column once in config/train.yaml",
            "CAIRN4003: label 'rain' is also listed in feature_columns, so the model would read the answer; remove it from feature_columns in config/train.yaml",
            "CAIRN4003: l2 is -1; set it to 0 or a positive number in config/train.yaml",
            "CAIRN4003: max_iterations is 0; set it to 1 or more in config/train.yaml",
            "CAIRN4003: holdout_fraction is 1; set it between 0 and 1 (both excluded) in config/train.yaml, and the same value in config/evaluate.yaml",
        ]);
    }

    [Fact]
    public void A_feature_that_never_changes_in_the_training_rows_fails_with_CAIRN4005()
    {
        using var env = new TestEnvironment();
        var calm = SampleFeatures.Days.Take(100).Select(day => day with { Wind = 3.5 });
        var engine = new RecordingBuildEngine();
        var train = ModellingStages.Train(engine, SampleFeatures.WriteMonthly(env, "features", calm), env.PathOf("out/model.json"));

        train.Execute().ShouldBeFalse();

        engine.AssertError("CAIRN4005").ShouldBe(
            "CAIRN4005: feature 'wind' has the same value 3.5 in all 80 training rows, so it cannot be standardized; remove it from feature_columns in config/train.yaml");
    }

    private static string TrainInto(TestEnvironment env, Microsoft.Build.Framework.ITaskItem[] features, string model, Action<Pipelines.Weather.TrainRainModel>? configure = null)
    {
        var engine = new RecordingBuildEngine();
        var train = ModellingStages.Train(engine, features, env.PathOf(model));
        configure?.Invoke(train);
        train.Execute().ShouldBeTrue(engine.Log);
        return env.PathOf(model);
    }

    private static Pipelines.Weather.RainModel ReadModel(string path) => Pipelines.Weather.ModellingJson.Read<Pipelines.Weather.RainModel>(path);
}
