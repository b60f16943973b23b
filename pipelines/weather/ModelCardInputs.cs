namespace Cairn.Pipelines.Weather;

/// <summary>
/// Everything the model card shows, all of it from the data and the config, none of it from the run (no run id, no
/// time), so the same model judged the same way gets the same card and the package stays content-addressed.
/// </summary>
internal sealed record ModelCardInputs(
    RainModel Model,
    string ModelHash,
    TrainingMetrics Training,
    RainMetrics Evaluation,
    RainDrift Drift,
    InputLineage Lineage);
