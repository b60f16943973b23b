using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cairn.Engine.Scan;

namespace Cairn.Engine.Status;

/// <summary>
/// The status as a stable JSON document (<c>--format=json</c>); README.md documents its schema. Fields are written
/// in a fixed order and absent fields are left out, so the document diffs cleanly. Non-ASCII text (the → in a
/// cause) is written as is: the document is read as JSON, never embedded in HTML.
/// </summary>
internal static class StatusJson
{
    public const string Format = "cairn-status";
    public const int Version = 1;

    public static string Write(StatusReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("version", Version);
            json.WriteString("pipeline", report.Pipeline);
            json.WriteString("workspace", report.Workspace);
            json.WriteStartObject("partitions");
            json.WriteNumber("count", report.Partitions.Count);
            if (report.Partitions.Count > 0)
            {
                json.WriteString("first", report.Partitions[0]);
                json.WriteString("last", report.Partitions[^1]);
            }

            json.WriteEndObject();
            json.WriteBoolean("upToDate", report.UpToDate);
            json.WriteNumber("cells", report.Stages.Sum(s => s.Cells));
            json.WriteNumber("staleCells", report.StaleCells);
            json.WriteStartArray("stages");
            foreach (var stage in report.Stages)
            {
                WriteStage(json, stage);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteStage(Utf8JsonWriter json, StageStatus stage)
    {
        json.WriteStartObject();
        json.WriteString("stage", stage.Stage);
        json.WriteBoolean("partitioned", stage.Partitioned);
        json.WriteNumber("cells", stage.Cells);
        json.WriteNumber("upToDate", stage.UpToDate);
        json.WriteNumber("stale", stage.Stale.Count);
        json.WriteStartArray("staleCells");
        foreach (var cell in stage.Stale)
        {
            json.WriteStartObject();
            if (cell.Partition is null)
            {
                json.WriteNull("partition");
            }
            else
            {
                json.WriteString("partition", cell.Partition);
            }

            json.WriteStartArray("causes");
            foreach (var cause in cell.Causes)
            {
                WriteCause(json, cause);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteCause(Utf8JsonWriter json, Cause cause)
    {
        json.WriteStartObject();
        json.WriteString("kind", CauseText.JsonName(cause.Kind));
        json.WriteString("text", cause.Text);
        Optional(json, "path", cause.Path);
        Optional(json, "name", cause.Parameter);
        Optional(json, "old", cause.Old);
        Optional(json, "new", cause.New);
        Optional(json, "upstreamStage", cause.UpstreamStage);
        if (cause.UpstreamCells is { } cells)
        {
            json.WriteStartArray("upstreamCells");
            foreach (var cell in cells)
            {
                json.WriteStringValue(cell);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
