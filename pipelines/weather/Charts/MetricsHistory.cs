using System.Globalization;
using System.Text;

namespace Cairn.Pipelines.Weather.Charts;

/// <summary>
/// metrics-history.csv: one line per distinct model the Report stage has seen in this workspace, oldest first, at most
/// <see cref="Limit"/>. A model is added only when its result differs from the last line, so re-running the report
/// on the same model (forced, or for a changed profile) leaves the file byte for byte as it was.
/// </summary>
internal static class MetricsHistory
{
    public const int Limit = 50;
    public const string Header = "model,accuracy,auc,log_loss,holdout_rows,training_dates";

    /// <returns>The entries, or null with the problem when the file is not a history this stage wrote.</returns>
    public static IReadOnlyList<MetricsHistoryEntry>? Read(string path, out string? problem)
    {
        problem = null;
        if (!File.Exists(path))
        {
            return [];
        }

        var lines = File.ReadAllLines(path, Encoding.UTF8);
        if (lines.Length == 0)
        {
            return [];
        }

        if (lines[0] != Header)
        {
            problem = $"its first line is not '{Header}'";
            return null;
        }

        var entries = new List<MetricsHistoryEntry>();
        for (var i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            if (cells.Length != 6
                || !int.TryParse(cells[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var model)
                || !TryDouble(cells[1], out var accuracy) || !TryDouble(cells[2], out var auc) || !TryDouble(cells[3], out var logLoss)
                || !long.TryParse(cells[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out var holdout))
            {
                problem = $"line {i + 1} is not {Header}";
                return null;
            }

            entries.Add(new MetricsHistoryEntry(model, accuracy, auc, logLoss, holdout, cells[5]));
        }

        return entries;
    }

    /// <summary>The history with the current model added unless it is the last one already; the oldest dropped past the limit.</summary>
    public static IReadOnlyList<MetricsHistoryEntry> With(IReadOnlyList<MetricsHistoryEntry> history, RainMetrics metrics, RainModel model)
    {
        var number = history.Count == 0 ? 1 : history[^1].Model + 1;
        var current = new MetricsHistoryEntry(number, metrics.Accuracy, metrics.Auc, metrics.LogLoss, metrics.Rows, model.TrainingDates.ToString());
        if (history.Count > 0 && history[^1].SameResultAs(current))
        {
            return history;
        }

        return [.. history.Append(current).TakeLast(Limit)];
    }

    public static string Render(IReadOnlyList<MetricsHistoryEntry> history)
    {
        var text = new StringBuilder().Append(Header).Append('\n');
        foreach (var e in history)
        {
            text.Append(CultureInfo.InvariantCulture, $"{e.Model},{e.Accuracy:R},{e.Auc:R},{e.LogLoss:R},{e.HoldoutRows},{e.TrainingDates}").Append('\n');
        }

        return text.ToString();
    }

    private static bool TryDouble(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
