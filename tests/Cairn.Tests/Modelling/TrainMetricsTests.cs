using Cairn.Pipelines.Weather;
using Cairn.Tests.Support;

namespace Cairn.Tests.Modelling;

public sealed class TrainMetricsTests
{
    // ⌈1461 × 0.2⌉ = 293 holdout dates; the first 1168 days are the training rows.
    private const int TrainingDays = 1461 - 293;

    [Fact]
    public void Train_metrics_of_the_full_sample_match_scores_recomputed_from_model_json_and_counts_from_the_sample()
    {
        using var env = new TestEnvironment();
        var model = TrainInto(env, SampleFeatures.WriteDaily(env, "features", SampleFeatures.Days), "out");

        var metrics = ModellingJson.Read<TrainingMetrics>(env.PathOf("out/train_metrics.json"));

        model.Features.ShouldBe(SampleFeatures.FeatureColumns);
        var training = SampleFeatures.Days.Take(TrainingDays).ToArray();
        var rainy = training.Count(day => day.Rain);
        metrics.Label.ShouldBe("rain");
        metrics.Rows.ShouldBe(TrainingDays);
        metrics.Positives.ShouldBe(rainy);
        metrics.Negatives.ShouldBe(TrainingDays - rainy);
        metrics.PositiveRate.ShouldBe(Math.Round((double)rainy / TrainingDays, 6));
        metrics.TrainingDates.ToString().ShouldBe("2012-01-01..2015-03-13");
        metrics.TrainingDates.Dates.ShouldBe(TrainingDays);
        metrics.TrainingPartitions.ShouldBe(TrainingDays);

        var probabilities = training.Select(day => Probability(model, SampleFeatures.Values(day))).ToArray();
        var labels = training.Select(day => day.Rain).ToArray();
        metrics.Accuracy.ShouldBe((double)probabilities.Where((p, i) => p >= 0.5 == labels[i]).Count() / TrainingDays, 5e-7);
        metrics.Auc.ShouldBe(PairwiseAuc(probabilities, labels), 5e-7);
        metrics.LogLoss.ShouldBe(-probabilities.Select((p, i) => labels[i] ? Math.Log(p) : Math.Log(1 - p)).Average(), 5e-7);

        metrics.Iterations.ShouldBe(model.Iterations);
        metrics.Converged.ShouldBeTrue();
        metrics.MaxIterations.ShouldBe(50);
        metrics.Tolerance.ShouldBe(1e-8);
        metrics.FinalStep.ShouldBeInRange(1e-15, 1e-8, "the last Newton step is below the tolerance, or the fit would not have stopped");
    }

    [Fact]
    public void Monthly_partitions_count_the_months_that_hold_training_rows()
    {
        using var env = new TestEnvironment();
        TrainInto(env, SampleFeatures.WriteMonthly(env, "features", SampleFeatures.Days), "out");

        var metrics = ModellingJson.Read<TrainingMetrics>(env.PathOf("out/train_metrics.json"));

        // 2012-01 … 2015-03: the training window ends on 2015-03-13, inside March 2015.
        metrics.TrainingPartitions.ShouldBe(39);
        metrics.Rows.ShouldBe(TrainingDays);
    }

    [Fact]
    public void Training_twice_writes_byte_identical_train_metrics_json_and_leaves_its_timestamp_alone()
    {
        using var env = new TestEnvironment();
        var features = SampleFeatures.WriteMonthly(env, "features", SampleFeatures.Days);
        TrainInto(env, features, "first");
        var earlier = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(env.PathOf("first/train_metrics.json"), earlier);

        TrainInto(env, features, "second");
        TrainInto(env, features, "first");

        File.ReadAllBytes(env.PathOf("second/train_metrics.json")).ShouldBe(File.ReadAllBytes(env.PathOf("first/train_metrics.json")));
        File.GetLastWriteTimeUtc(env.PathOf("first/train_metrics.json")).ShouldBe(earlier);
    }

    [Fact]
    public void Without_train_metrics_bound_train_writes_the_same_model_json_and_nothing_else()
    {
        using var env = new TestEnvironment();
        var features = SampleFeatures.WriteMonthly(env, "features", SampleFeatures.Days);
        TrainInto(env, features, "bound");
        var engine = new RecordingBuildEngine();

        ModellingStages.Train(engine, features, env.PathOf("unbound/model.json")).Execute().ShouldBeTrue(engine.Log);

        Directory.GetFiles(env.PathOf("unbound")).Select(Path.GetFileName).ShouldBe(["model.json"]);
        env.ReadFile("unbound/model.json").ShouldBe(env.ReadFile("bound/model.json"));
    }

    private static RainModel TrainInto(TestEnvironment env, Microsoft.Build.Framework.ITaskItem[] features, string folder)
    {
        var engine = new RecordingBuildEngine();
        ModellingStages.Train(engine, features, env.PathOf($"{folder}/model.json"), env.PathOf($"{folder}/train_metrics.json")).Execute().ShouldBeTrue(engine.Log);
        return ModellingJson.Read<RainModel>(env.PathOf($"{folder}/model.json"));
    }

    /// <summary>The model's probability from its written coefficients: logistic(intercept + Σ c × (x − mean) / std).</summary>
    private static double Probability(RainModel model, double[] values)
    {
        var z = model.Intercept;
        for (var i = 0; i < values.Length; i++)
        {
            z += model.Coefficients[i] * (values[i] - model.Means[i]) / model.Stds[i];
        }

        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>The share of (rainy, dry) pairs in which the rainy day scores higher, ties counting half.</summary>
    private static double PairwiseAuc(double[] probabilities, bool[] labels)
    {
        var positives = probabilities.Where((_, i) => labels[i]).ToArray();
        var negatives = probabilities.Where((_, i) => !labels[i]).ToArray();
        var wins = positives.Sum(p => negatives.Sum(n => p > n ? 1.0 : p == n ? 0.5 : 0));
        return wins / ((double)positives.Length * negatives.Length);
    }
}
