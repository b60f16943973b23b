using System.Globalization;

namespace Cairn.Stages.Contracts;

/// <summary>
/// How contract values are read and written: culture-invariant, whatever the machine's culture. An empty value is null.
/// </summary>
public static class ContractValues
{
    /// <summary>The one date format contracts accept.</summary>
    public const string DateFormat = "yyyy-MM-dd";

    // Explicit styles rather than NumberStyles.Float: no surrounding whitespace (fields are already trimmed)
    // and no thousands separators, so "1,5" can never be read as fifteen.
    private const NumberStyles NumberStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    // ISO 8601 with a 'T' or a space, an optional fraction (F: trailing digits optional) and an optional zone (K).
    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ssK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>Whether a (trimmed) field value is null: empty.</summary>
    public static bool IsNull(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length == 0;
    }

    /// <summary>Reads a finite number such as <c>-0.6</c> or <c>1e3</c>; NaN and infinities are not numbers here.</summary>
    public static bool TryParseNumber(string value, out double number) => TryParseNumber(value.AsSpan(), out number);

    /// <inheritdoc cref="TryParseNumber(string, out double)"/>
    public static bool TryParseNumber(ReadOnlySpan<char> value, out double number) =>
        double.TryParse(value, NumberStyle, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

    /// <summary>Reads a whole number such as <c>-12</c>.</summary>
    public static bool TryParseInteger(string value, out long number) => TryParseInteger(value.AsSpan(), out number);

    /// <inheritdoc cref="TryParseInteger(string, out long)"/>
    public static bool TryParseInteger(ReadOnlySpan<char> value, out long number) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);

    /// <summary>Reads a date written exactly <c>yyyy-MM-dd</c>.</summary>
    public static bool TryParseDate(string value, out DateOnly date) => TryParseDate(value.AsSpan(), out date);

    /// <inheritdoc cref="TryParseDate(string, out DateOnly)"/>
    public static bool TryParseDate(ReadOnlySpan<char> value, out DateOnly date) =>
        DateOnly.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>Reads <c>true</c> or <c>false</c>, in any letter case.</summary>
    public static bool TryParseBoolean(ReadOnlySpan<char> value, out bool result)
    {
        // bool.TryParse would also accept surrounding whitespace and NUL padding; a contract value is the trimmed text.
        if (value.Equals(bool.TrueString, StringComparison.OrdinalIgnoreCase))
        {
            result = true;
            return true;
        }

        result = false;
        return value.Equals(bool.FalseString, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Reads an ISO 8601 timestamp (see <see cref="ContractColumnType.Timestamp"/>). A value with a zone is converted to
    /// UTC (kind <see cref="DateTimeKind.Utc"/>); one without keeps its clock time (kind <see cref="DateTimeKind.Unspecified"/>).
    /// </summary>
    public static bool TryParseTimestamp(ReadOnlySpan<char> value, out DateTime timestamp) =>
        DateTime.TryParseExact(value, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out timestamp);

    /// <summary>Formats a number the way contracts and stage outputs write it: shortest round-trip, invariant.</summary>
    public static string FormatNumber(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Formats a date <c>yyyy-MM-dd</c>.</summary>
    public static string FormatDate(DateOnly value) => value.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// Formats a timestamp the one way stages write it: <c>yyyy-MM-ddTHH:mm:ss</c>, then the fraction of a second
    /// without trailing zeros when there is one, then <c>Z</c> for a UTC value. <see cref="TryParseTimestamp"/> reads it back exactly.
    /// </summary>
    public static string FormatTimestamp(DateTime value)
    {
        Span<char> text = stackalloc char[MaxTimestampLength];
        return new string(text[..FormatTimestamp(value, text)]);
    }

    /// <summary>The longest text <see cref="FormatTimestamp(DateTime)"/> writes.</summary>
    internal const int MaxTimestampLength = 28;

    /// <summary>Writes <see cref="FormatTimestamp(DateTime)"/>'s text into <paramref name="destination"/> (at least <see cref="MaxTimestampLength"/> long) and returns its length.</summary>
    internal static int FormatTimestamp(DateTime value, Span<char> destination)
    {
        value.TryFormat(destination, out var written, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = value.Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            destination[written++] = '.';
            fraction.TryFormat(destination[written..], out var digits, "D7", CultureInfo.InvariantCulture);
            written += digits;
            while (destination[written - 1] == '0')
            {
                written--;
            }
        }

        if (value.Kind == DateTimeKind.Utc)
        {
            destination[written++] = 'Z';
        }

        return written;
    }
}
