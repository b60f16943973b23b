using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cairn.Pipelines.Weather;

/// <summary>
/// Reads and writes the modelling stages' JSON files (model.json, metrics.json) the same way every time:
/// snake_case keys in declaration order, two-space indent, LF line ends, a final newline, UTF-8 without BOM.
/// </summary>
internal static class ModellingJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NewLine = "\n",
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options) + "\n";

    /// <exception cref="JsonException">The text is not JSON of the expected shape (a required key missing, a null, a wrong type).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static T Read<T>(string path)
    {
        var value = JsonSerializer.Deserialize<T>(File.ReadAllText(path, Encoding.UTF8), Options);
        return value ?? throw new JsonException($"'{path}' holds null");
    }

    /// <summary>Rounds a fitted value for writing; negative zero becomes zero so the text never shows "-0".</summary>
    public static double Round(double value, int decimals)
    {
        var rounded = Math.Round(value, decimals, MidpointRounding.ToEven);
        return rounded == 0 ? 0 : rounded;
    }

    /// <summary>
    /// Rounds to a number of significant digits, for values such as a last Newton step whose size matters and whose
    /// trailing digits are rounding noise.
    /// </summary>
    public static double RoundSignificant(double value, int digits)
    {
        if (value == 0 || !double.IsFinite(value))
        {
            return value == 0 ? 0 : value;
        }

        var text = value.ToString("E" + (digits - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
