using Cairn.Pipelines.Weather;
using Cairn.Tests.Support;
using Microsoft.Build.Framework;

namespace Cairn.Tests.Modelling;

/// <summary>
/// Train and Evaluate with the sample's real config and every report bound, as pipeline.yaml binds them, writing into
/// one folder: model.json, train_metrics.json, metrics.json, drift_report.md/.json/.svg and model_card.md.
/// </summary>
internal sealed class SampleReports
{
    public static readonly string[] Files =
        ["model.json", "train_metrics.json", "metrics.json", "drift_report.md", "drift_report.json", "drift_report.svg", "model_card.md"];

    private SampleReports(string folder, ITaskItem[] features, RecordingBuildEngine engine)
    {
        Folder = folder;
        Features = features;
        Engine = engine;
    }

    public string Folder { get; }

    public ITaskItem[] Features { get; }

    /// <summary>What both stages logged.</summary>
    public RecordingBuildEngine Engine { get; }

    public string PathOf(string file) => Path.Combine(Folder, file);

    public string Read(string file) => File.ReadAllText(PathOf(file));

    public RainModel Model => ModellingJson.Read<RainModel>(PathOf("model.json"));

    public TrainingMetrics TrainingMetrics => ModellingJson.Read<TrainingMetrics>(PathOf("train_metrics.json"));

    public RainMetrics Metrics => ModellingJson.Read<RainMetrics>(PathOf("metrics.json"));

    public RainDrift Drift => ModellingJson.Read<RainDrift>(PathOf("drift_report.json"));

    /// <summary>The whole sample as one features file per day under <paramref name="folder"/>/features, outputs in <paramref name="folder"/>/out.</summary>
    public static SampleReports OfFullSample(TestEnvironment env, string folder, Action<EvaluateRainModel>? configure = null) =>
        Run(env, folder, SampleFeatures.WriteDaily(env, Path.Combine(folder, "features"), SampleFeatures.Days), configure);

    public static SampleReports Run(TestEnvironment env, string folder, ITaskItem[] features, Action<EvaluateRainModel>? configure = null)
    {
        var reports = new SampleReports(env.PathOf(Path.Combine(folder, "out")), features, new RecordingBuildEngine());
        var engine = reports.Engine;
        ModellingStages.Train(engine, features, reports.PathOf("model.json"), reports.PathOf("train_metrics.json")).Execute().ShouldBeTrue(engine.Log);
        var evaluate = Evaluate(engine, reports.Folder, features);
        configure?.Invoke(evaluate);
        evaluate.Execute().ShouldBeTrue(engine.Log);
        engine.AssertNoErrors();
        return reports;
    }

    /// <summary>The Evaluate stage reading and writing the files in <paramref name="folder"/>, not yet run.</summary>
    public static EvaluateRainModel Evaluate(RecordingBuildEngine engine, string folder, ITaskItem[] features)
    {
        var evaluate = ModellingStages.Evaluate(engine, features, Path.Combine(folder, "model.json"), Path.Combine(folder, "metrics.json"));
        evaluate.TrainMetrics = Path.Combine(folder, "train_metrics.json");
        evaluate.DriftReport = Path.Combine(folder, "drift_report.md");
        evaluate.DriftReportJson = Path.Combine(folder, "drift_report.json");
        evaluate.DriftChart = Path.Combine(folder, "drift_report.svg");
        evaluate.ModelCard = Path.Combine(folder, "model_card.md");
        return evaluate;
    }
}
