using Cairn.Pipelines.Weather;
using Cairn.Tests.Support;
using Microsoft.Build.Framework;

namespace Cairn.Tests.Modelling;

/// <summary>Hosts the modelling stage tasks with the sample pipeline's real config, as the engine would.</summary>
internal static class ModellingStages
{
    public static TrainRainModel Train(RecordingBuildEngine engine, ITaskItem[] features, string model, string trainMetrics = "")
    {
        var config = PipelineConfig.Read("train.yaml");
        return new TrainRainModel
        {
            BuildEngine = engine,
            Features = features,
            Model = model,
            TrainMetrics = trainMetrics,
            FeatureColumns = config.Strings("feature_columns"),
            Label = config.String("label"),
            L2 = config.Double("l2"),
            MaxIterations = config.Int("max_iterations"),
            Tolerance = config.Double("tolerance"),
            Seed = config.Int("seed"),
            HoldoutFraction = config.Double("holdout_fraction"),
            MinTrainingRows = config.Int("min_training_rows"),
        };
    }

    public static EvaluateRainModel Evaluate(RecordingBuildEngine engine, ITaskItem[] features, string model, string metrics)
    {
        var config = PipelineConfig.Read("evaluate.yaml");
        return new EvaluateRainModel
        {
            BuildEngine = engine,
            Features = features,
            Model = model,
            Metrics = metrics,
            HoldoutFraction = config.Double("holdout_fraction"),
            MinAccuracy = config.Double("min_accuracy"),
            MinAuc = config.Double("min_auc"),
            MaxLogLoss = config.Double("max_log_loss"),
            DriftWindow = config.String("drift_window"),
            DriftBins = config.Int("drift_bins"),
            DriftPsiWarn = config.Double("drift_psi_warn"),
            DriftPsiAlert = config.Double("drift_psi_alert"),
            DriftKsAlert = config.Double("drift_ks_alert"),
        };
    }
}
