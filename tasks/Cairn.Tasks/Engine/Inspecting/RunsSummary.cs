using Cairn.Engine.Observing;

namespace Cairn.Engine.Inspecting;

/// <summary>
/// The last runs in one figure each (<c>--target=History --summary</c>): how many, how they ended, the success rate
/// over those that ended, cells decided, ran, skipped and failed, rows read, and time.
/// </summary>
internal sealed record RunsSummary(
    int Runs,
    IReadOnlyList<(string Status, int Runs)> ByStatus,
    double? SuccessRate,
    int Cells,
    int Ran,
    int Skipped,
    int Failed,
    long RowsRead,
    DateTimeOffset? First,
    DateTimeOffset? Last,
    double TotalMs,
    double? MedianMs,
    double? LongestMs)
{
    /// <summary>Cells restored from the shared cache instead of running (not counted in <see cref="Ran"/>).</summary>
    public int Restored { get; init; }

    // How a status reads in the summary's list, in this order; any other status follows, as named.
    private static readonly string[] StatusOrder = ["succeeded", "failed", "held", "cancelled", "crashed", "incomplete", "running"];

    /// <param name="runs">The last runs, newest first.</param>
    /// <param name="rowsRead">The rows their cells read (<see cref="RunLogReader.RowsRead"/>).</param>
    public static RunsSummary Of(IReadOnlyList<RunRecord> runs, long rowsRead)
    {
        var byStatus = runs.GroupBy(r => r.Status, StringComparer.Ordinal)
            .OrderBy(g => Array.IndexOf(StatusOrder, g.Key) is var i && i < 0 ? int.MaxValue : i)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Count()))
            .ToList();

        // A run still going has not ended well or badly yet.
        var ended = runs.Count(r => r.Status != "running");
        var durations = runs.Where(r => r.DurationMs is not null).Select(r => r.DurationMs!.Value).Order().ToList();
        return new RunsSummary(
            runs.Count,
            byStatus,
            ended == 0 ? null : (double)runs.Count(r => r.Status == "succeeded") / ended,
            runs.Sum(r => r.Cells),
            runs.Sum(r => r.Ran),
            runs.Sum(r => r.Skipped),
            runs.Sum(r => r.Failed),
            rowsRead,
            runs.Count == 0 ? null : runs.Min(r => r.StartedAt),
            runs.Count == 0 ? null : runs.Max(r => r.StartedAt),
            durations.Sum(),
            durations.Count == 0 ? null : Median(durations),
            durations.Count == 0 ? null : durations[^1])
        {
            Restored = runs.Sum(r => r.Restored),
        };
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
