using System.Globalization;

namespace Cairn.Stages.Contracts;

/// <summary>
/// How contract values are read: culture-invariant, whatever the machine's culture. An empty value is null.
/// </summary>
public static class ContractValues
{
    /// <summary>The one date format contracts accept.</summary>
    public const string DateFormat = "yyyy-MM-dd";

    // Explicit styles rather than NumberStyles.Float: no surrounding whitespace (fields are already trimmed)
    // and no thousands separators, so "1,5" can never be read as fifteen.
    private const NumberStyles NumberStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>Whether a (trimmed) field value is null: empty.</summary>
    public static bool IsNull(string value) => value.Length == 0;

    /// <summary>Reads a finite number such as <c>-0.6</c> or <c>1e3</c>; NaN and infinities are not numbers here.</summary>
    public static bool TryParseNumber(string value, out double number) =>
        double.TryParse(value, NumberStyle, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

    /// <summary>Reads a whole number such as <c>-12</c>.</summary>
    public static bool TryParseInteger(string value, out long number) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out number);

    /// <summary>Reads a date written exactly <c>yyyy-MM-dd</c>.</summary>
    public static bool TryParseDate(string value, out DateOnly date) =>
        DateOnly.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>Formats a number the way contracts and stage outputs write it: shortest round-trip, invariant.</summary>
    public static string FormatNumber(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
