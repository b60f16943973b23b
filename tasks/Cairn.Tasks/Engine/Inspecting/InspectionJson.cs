using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Cairn.Engine.Inspecting;

/// <summary>
/// How the targets that run no stage write their JSON documents: indented, fields in a fixed order, non-ASCII text as
/// is (the documents are read as JSON, never embedded in HTML), absent values left out.
/// </summary>
internal static class InspectionJson
{
    public static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            body(json);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void Optional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    public static void Optional(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, Math.Round(number, 3));
        }
    }

    public static void Optional(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
    }
}
