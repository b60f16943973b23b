using Cairn.Engine.Observing;

namespace Cairn.Engine.Inspecting;

/// <summary>Health as a stable JSON document (<c>--target=Health --format=json</c>); README.md documents it.</summary>
internal static class HealthJson
{
    public const string Format = "cairn-health";
    public const int Version = 1;

    public static string Write(string runLog, int runs, IReadOnlyList<StageHealth> stages, List<string> stageOrder) => InspectionJson.Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("format", Format);
        json.WriteNumber("version", Version);
        json.WriteString("runLog", runLog);
        json.WriteNumber("runs", runs);
        json.WriteStartArray("stages");
        foreach (var stage in stages.OrderBy(s => stageOrder.IndexOf(s.Stage) is var i && i < 0 ? int.MaxValue : i))
        {
            json.WriteStartObject();
            json.WriteString("stage", stage.Stage);
            json.WriteNumber("runs", stage.Runs);
            json.WriteNumber("runsThatRan", stage.RunsThatRan);
            json.WriteNumber("runsSucceeded", stage.RunsSucceeded);
            if (stage.SuccessRate is { } rate)
            {
                json.WriteNumber("successRate", Math.Round(rate, 4));
            }
            else
            {
                json.WriteNull("successRate");
            }

            json.WriteNumber("cellsRan", stage.CellsRan);
            json.WriteNumber("cellsRestored", stage.CellsRestored);
            InspectionJson.Optional(json, "averageMs", stage.AverageMs);
            InspectionJson.Optional(json, "p95Ms", stage.P95Ms);
            json.WriteNumber("retries", stage.Retries);
            json.WriteNumber("rowsIn", stage.RowsIn);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    });
}
