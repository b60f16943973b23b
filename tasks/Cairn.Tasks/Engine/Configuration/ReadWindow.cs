using System.Globalization;
using System.Text.RegularExpressions;

namespace Cairn.Engine.Configuration;

/// <summary>
/// A whole-dataset stage's window (<c>reads: all | selection | last N days|weeks|months</c>): which partitions its
/// <c>{each}</c> inputs expand to. As in Dagster, a stage that is not partitioned reads every upstream partition by
/// default, so a backfill of a few days never makes a model, a report or a package cover those days alone.
/// </summary>
internal sealed partial record ReadWindow(ReadWindowKind Kind, int Length, string Unit, string Source)
{
    public const string Forms = "all (every partition the landing zone has: the default), selection (the partitions the run selects) or last N days|weeks|months (a trailing window ending at the selection's last partition, e.g. last 365 days)";

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

    /// <summary>The first day of a trailing window that ends on <paramref name="last"/>; null for <c>all</c> and <c>selection</c>.</summary>
    public DateOnly? Start(DateOnly last) => Kind != ReadWindowKind.Last ? null : Unit switch
    {
        "week" => last.AddDays(1 - (7 * Length)),
        "month" => last.AddMonths(-Length).AddDays(1),
        _ => last.AddDays(1 - Length),
    };

    /// <summary>The partitions the window reads, in order, of every partition and the run's selection (both ordered <c>YYYY-MM-DD</c> keys).</summary>
    public IReadOnlyList<string> Select(IReadOnlyList<string> all, IReadOnlyList<string> selection)
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
        var start = Partitions.PartitionDates.ToKey(Start(DateOnly.ParseExact(last, Partitions.PartitionDates.Format, CultureInfo.InvariantCulture))!.Value);
        return all.Where(p => string.CompareOrdinal(p, start) >= 0 && string.CompareOrdinal(p, last) <= 0).ToList();
    }

    [GeneratedRegex(@"^last\s+(?<n>[0-9]+)\s+(?<unit>day|week|month)s?$", RegexOptions.CultureInvariant)]
    private static partial Regex LastPattern();
}
