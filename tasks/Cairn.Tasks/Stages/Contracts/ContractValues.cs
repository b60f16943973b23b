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

    // Exact powers of ten as doubles: a mantissa below 2^53 divided by one of them is correctly rounded.
    private static readonly double[] PowersOfTen = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    // Ticks (100 ns) per unit of the n-th digit of a fraction of a second, n from 1.
    private static readonly long[] TicksPerDigit = [1, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];

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
        (TryParseShortDecimal(value, out number) || double.TryParse(value, NumberStyle, CultureInfo.InvariantCulture, out number)) && double.IsFinite(number);

    /// <summary>Reads a whole number such as <c>-12</c>.</summary>
    public static bool TryParseInteger(string value, out long number) => TryParseInteger(value.AsSpan(), out number);

    /// <inheritdoc cref="TryParseInteger(string, out long)"/>
    public static bool TryParseInteger(ReadOnlySpan<char> value, out long number) =>
        TryParseShortInteger(value, out number) || long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);

    /// <summary>Reads a date written exactly <c>yyyy-MM-dd</c>.</summary>
    public static bool TryParseDate(string value, out DateOnly date) => TryParseDate(value.AsSpan(), out date);

    /// <inheritdoc cref="TryParseDate(string, out DateOnly)"/>
    public static bool TryParseDate(ReadOnlySpan<char> value, out DateOnly date)
    {
        // DateOnly.TryParseExact(value, "yyyy-MM-dd") accepts exactly this, at a tenth of its cost (most of a file's dates).
        date = default;
        if (value.Length != 10 || value[4] != '-' || value[7] != '-'
            || !TryDigits(value[..4], out var year) || !TryDigits(value.Slice(5, 2), out var month) || !TryDigits(value.Slice(8, 2), out var day)
            || year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }

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
    /// Reads an ISO 8601 timestamp: <c>yyyy-MM-dd</c>, <c>T</c> or a space, <c>HH:mm:ss</c> (hours 00 to 23), then
    /// optionally <c>.</c> and 1 to 7 digits of a second, then optionally <c>Z</c> or an offset <c>+hh:mm</c>,
    /// <c>-hh:mm</c> (or without the colon) of at most 14 hours. A value with a zone is converted to UTC (kind
    /// <see cref="DateTimeKind.Utc"/>); one without keeps its clock time (kind <see cref="DateTimeKind.Unspecified"/>).
    /// </summary>
    public static bool TryParseTimestamp(ReadOnlySpan<char> value, out DateTime timestamp)
    {
        timestamp = default;
        if (value.Length < 19 || (value[10] != 'T' && value[10] != ' ') || value[13] != ':' || value[16] != ':'
            || !TryParseDate(value[..10], out var date)
            || !TryDigits(value.Slice(11, 2), out var hour) || !TryDigits(value.Slice(14, 2), out var minute) || !TryDigits(value.Slice(17, 2), out var second)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var ticks = date.DayNumber * TimeSpan.TicksPerDay + (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute) + (second * TimeSpan.TicksPerSecond);
        var rest = value[19..];
        if (rest.Length > 0 && rest[0] == '.')
        {
            var digits = 1;
            long fraction = 0;
            while (digits < rest.Length && digits <= 7 && char.IsAsciiDigit(rest[digits]))
            {
                fraction = (fraction * 10) + (rest[digits] - '0');
                digits++;
            }

            if (digits == 1 || (digits < rest.Length && char.IsAsciiDigit(rest[digits])))
            {
                return false;
            }

            ticks += fraction * TicksPerDigit[digits - 1];
            rest = rest[digits..];
        }

        if (rest.IsEmpty)
        {
            timestamp = new DateTime(ticks, DateTimeKind.Unspecified);
            return true;
        }

        long offset = 0;
        if (rest is not "Z")
        {
            // +hh:mm or +hhmm (or -).
            var minutesAt = rest.Length == 6 && rest[3] == ':' ? 4 : 3;
            if ((rest[0] != '+' && rest[0] != '-') || rest.Length != minutesAt + 2
                || !TryDigits(rest.Slice(1, 2), out var hours) || !TryDigits(rest.Slice(minutesAt, 2), out var minutes)
                || minutes > 59 || (hours * 60) + minutes > 14 * 60)
            {
                return false;
            }

            offset = ((hours * 60) + minutes) * TimeSpan.TicksPerMinute * (rest[0] == '-' ? -1 : 1);
        }

        var utc = ticks - offset;
        if (utc < DateTime.MinValue.Ticks || utc > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        timestamp = new DateTime(utc, DateTimeKind.Utc);
        return true;
    }

    /// <summary>
    /// The common case of a number, fast: an optional sign, then at most 15 digits with at most one decimal point (no
    /// exponent). The mantissa and the power of ten are exact doubles, so their quotient is correctly rounded: the
    /// same double as <see cref="double.TryParse(ReadOnlySpan{char}, NumberStyles, IFormatProvider?, out double)"/> gives.
    /// </summary>
    private static bool TryParseShortDecimal(ReadOnlySpan<char> value, out double number)
    {
        number = 0;
        var negative = value.Length > 0 && value[0] == '-';
        var start = value.Length > 0 && (value[0] == '-' || value[0] == '+') ? 1 : 0;
        long mantissa = 0;
        var digits = 0;
        var point = -1;
        for (var i = start; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsAsciiDigit(c))
            {
                mantissa = (mantissa * 10) + (c - '0');
                digits++;
            }
            else if (c == '.' && point < 0)
            {
                point = i;
            }
            else
            {
                return false;
            }
        }

        if (digits == 0 || digits > 15)
        {
            return false;
        }

        var result = point < 0 ? mantissa : mantissa / PowersOfTen[value.Length - point - 1];
        number = negative ? -result : result;
        return true;
    }

    /// <summary>The common case of an integer, fast: an optional sign and at most 18 digits (no overflow possible).</summary>
    private static bool TryParseShortInteger(ReadOnlySpan<char> value, out long number)
    {
        number = 0;
        var start = value.Length > 0 && (value[0] == '-' || value[0] == '+') ? 1 : 0;
        if (value.Length - start is < 1 or > 18)
        {
            return false;
        }

        long result = 0;
        for (var i = start; i < value.Length; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return false;
            }

            result = (result * 10) + (value[i] - '0');
        }

        number = value[0] == '-' ? -result : result;
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> value, out int number)
    {
        number = 0;
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            number = (number * 10) + (c - '0');
        }

        return true;
    }

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
