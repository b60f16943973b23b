using System.Globalization;
using System.Text.RegularExpressions;

namespace Cairn.Pipelines.Weather;

/// <summary>
/// Which rows the drift report compares with the training window: <c>holdout</c> (the holdout dates) or
/// <c>last N days</c> (the last N distinct dates of the selection, all of them holdout dates so that the two windows
/// never share a row).
/// </summary>
internal sealed partial record RecentWindow(int? LastDays)
{
    public const string Holdout = "holdout";

    public static RecentWindow OfHoldout { get; } = new((int?)null);

    public static bool TryParse(string? text, out RecentWindow window)
    {
        var trimmed = text?.Trim() ?? string.Empty;
        if (trimmed == Holdout)
        {
            window = OfHoldout;
            return true;
        }

        var match = LastDaysPattern().Match(trimmed);
        if (match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days > 0)
        {
            window = new RecentWindow(days);
            return true;
        }

        window = OfHoldout;
        return false;
    }

    public override string ToString() => LastDays is { } days
        ? string.Create(CultureInfo.InvariantCulture, $"last {days} {(days == 1 ? "day" : "days")}")
        : Holdout;

    [GeneratedRegex(@"^last ([0-9]+) days?$", RegexOptions.CultureInvariant)]
    private static partial Regex LastDaysPattern();
}
