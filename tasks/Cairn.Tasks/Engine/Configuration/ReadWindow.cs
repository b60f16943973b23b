using System.Globalization;
using System.Text.RegularExpressions;

namespace Cairn.Engine.Configuration;

/// <summary>
/// A whole-dataset stage's window (<c>reads: all | selection | last N hours|days|weeks|months</c>): which partitions its
/// <c>{each}</c> inputs expand to. As in Dagster, a stage that is not partitioned reads every upstream partition by
/// default, so a backfill of a few days never makes a model, a report or a package cover those days alone.
/// </summary>
internal sealed partial record ReadWindow(ReadWindowKind Kind, int Length, string Unit, string Source)
{
    public const string Forms = "all (every partition the landing zone has: the default), selection (the partitions the run selects) or last N hours|days|weeks|months (a trailing window ending at the selection's last partition, e.g. last 365 days; not finer than the partitions' grain)";

    private static readonly string[] Units = ["hour", "day", "week", "month"];

    public static ReadWindow All { get; } = new(ReadWindowKind.All, 0, string.Empty, string.Empty);

    public override string ToString() => Kind switch
    {
        ReadWindowKind.All => "all",
        ReadWindowKind.Selection => "selection",
        _ => string.Create(CultureInfo.InvariantCulture, $"last {Length} {Unit}{(Length == 1 ? string.Empty : "s")}"),
    };

    public static bool TryParse(string text, string source, out ReadWindow window)
    {
        window = All;
        var trimmed = text.Trim().ToLowerInvariant();
        if (trimmed == "all")
        {
            window = All with { Source = source };
            return true;
        }

        if (trimmed == "selection")
        {
            window = new ReadWindow(ReadWindowKind.Selection, 0, string.Empty, source);
            return true;
        }

        var match = LastPattern().Match(trimmed);
        if (!match.Success || !int.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length < 1)
        {
            return false;
        }

        window = new ReadWindow(ReadWindowKind.Last, length, match.Groups["unit"].Value, source);
        return true;
    }

    /// <summary>Whether a window unit is finer than the grain (a window of hours over days cannot be read whole).</summary>
    public static bool Finer(string unit, Partitions.PartitionGrain grain) => Array.IndexOf(Units, unit) < grain switch
    {
        Partitions.PartitionGrain.Hour => 0,
        Partitions.PartitionGrain.Month => 3,
        _ => 1,
    };

    /// <summary>
    /// The first partition key of a trailing window whose last partition is <paramref name="last"/>: the window's
    /// length back from the end of that partition; null for <c>all</c> and <c>selection</c>.
    /// </summary>
    public string? Start(string last, Partitions.PartitionScheme scheme)
    {
        if (Kind != ReadWindowKind.Last || !scheme.TryParse(last, out var end))
        {
            return null;
        }

        var back = Unit switch
        {
            "hour" => end.AddHours(-Length),
            "week" => end.AddDays(-7 * Length),
            "month" => end.AddMonths(-Length),
            _ => end.AddDays(-Length),
        };
        return scheme.ToKey(scheme.Add(back, 1));
    }

    /// <summary>The partitions the window reads, in order, of every partition and the run's selection (both ordered keys of the scheme's grain).</summary>
    public IReadOnlyList<string> Select(IReadOnlyList<string> all, IReadOnlyList<string> selection, Partitions.PartitionScheme scheme)
    {
        switch (Kind)
        {
            case ReadWindowKind.All:
                return all;
            case ReadWindowKind.Selection:
                return selection;
        }

        if (selection.Count == 0)
        {
            return selection;
        }

        var last = selection[^1];
        var start = Start(last, scheme)!;
        return all.Where(p => string.CompareOrdinal(p, start) >= 0 && string.CompareOrdinal(p, last) <= 0).ToList();
    }

    [GeneratedRegex(@"^last\s+(?<n>[0-9]+)\s+(?<unit>hour|day|week|month)s?$", RegexOptions.CultureInvariant)]
    private static partial Regex LastPattern();
}
