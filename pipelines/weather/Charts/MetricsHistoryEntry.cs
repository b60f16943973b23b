namespace Cairn.Pipelines.Weather.Charts;

/// <summary>One model in the metrics history: its number in this workspace, its holdout scores and training dates.</summary>
internal sealed record MetricsHistoryEntry(int Model, double Accuracy, double Auc, double LogLoss, long HoldoutRows, string TrainingDates)
{
    /// <summary>Same scores, holdout and training dates: the same model as far as the history is concerned.</summary>
    public bool SameResultAs(MetricsHistoryEntry other) =>
        Accuracy.Equals(other.Accuracy) && Auc.Equals(other.Auc) && LogLoss.Equals(other.LogLoss)
        && HoldoutRows == other.HoldoutRows && string.Equals(TrainingDates, other.TrainingDates, StringComparison.Ordinal);
}
