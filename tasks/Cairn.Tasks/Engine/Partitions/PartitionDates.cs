using System.Globalization;

namespace Cairn.Engine.Partitions;

/// <summary>Parsing and formatting of the <c>YYYY-MM-DD</c> partition keys and <c>date=…</c> folder names.</summary>
internal static class PartitionDates
{
    public const string Format = "yyyy-MM-dd";
    public const string FolderPrefix = "date=";

    public static bool TryParse(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static string ToKey(DateOnly date) => date.ToString(Format, CultureInfo.InvariantCulture);

    public static string ToFolder(DateOnly date) => FolderPrefix + ToKey(date);

    /// <summary>Explains why a value is not a valid date, for argument errors.</summary>
    public static string Explain(string text)
    {
        var parts = text.Split('-');
        if (parts.Length == 3
            && parts[0].Length == 4 && parts[1].Length == 2 && parts[2].Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var day))
        {
            if (month is < 1 or > 12)
            {
                return $"'{text}' has no month {month}";
            }

            if (year >= 1 && day >= 1)
            {
                return $"'{text}' is not a calendar date: {CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month)} {year} has {DateTime.DaysInMonth(year, month)} days";
            }
        }

        return $"'{text}' is not a date in the form YYYY-MM-DD";
    }
}
