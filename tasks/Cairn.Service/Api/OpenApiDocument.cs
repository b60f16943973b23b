using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Cairn.Service.Api;

/// <summary>The OpenAPI 3.0 document of <see cref="ApiRoutes.All"/>.</summary>
internal static class OpenApiDocument
{
    public static string Write()
    {
        var version = typeof(OpenApiDocument).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("openapi", "3.0.3");
            json.WriteStartObject("info");
            json.WriteString("title", "Cairn service");
            json.WriteString("version", version);
            json.WriteString("description", "Schedules, triggers and runs of Cairn pipelines. Off loopback, every request needs 'Authorization: Bearer <CAIRN_SERVICE_TOKEN>'. Errors are problem details (RFC 9457).");
            json.WriteEndObject();
            json.WriteStartObject("paths");
            foreach (var path in ApiRoutes.All.GroupBy(r => r.Path))
            {
                json.WriteStartObject(path.Key);
                foreach (var route in path)
                {
                    WriteOperation(json, route);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteStartObject("components");
            json.WriteStartObject("securitySchemes");
            json.WriteStartObject("bearer");
            json.WriteString("type", "http");
            json.WriteString("scheme", "bearer");
            json.WriteString("description", "needed only when the service listens on an address other than loopback");
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteStartArray("security");
            json.WriteStartObject();
            json.WriteStartArray("bearer");
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteOperation(Utf8JsonWriter json, ApiRoute route)
    {
        json.WriteStartObject(route.Method.ToLowerInvariant());
        json.WriteString("summary", route.Summary);
        json.WriteString("operationId", OperationId(route));
        if (route.Parameters.Count > 0)
        {
            json.WriteStartArray("parameters");
            foreach (var parameter in route.Parameters)
            {
                json.WriteStartObject();
                json.WriteString("name", parameter.Name);
                json.WriteString("in", parameter.In);
                json.WriteString("description", parameter.Meaning);
                json.WriteBoolean("required", parameter.Required || parameter.In == "path");
                json.WriteStartObject("schema");
                json.WriteString("type", parameter.Name == "limit" ? "integer" : "string");
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (route.Body.Count > 0)
        {
            json.WriteStartObject("requestBody");
            json.WriteBoolean("required", false);
            json.WriteStartObject("content");
            json.WriteStartObject("application/json");
            json.WriteStartObject("schema");
            json.WriteString("type", "object");
            json.WriteBoolean("additionalProperties", false);
            json.WriteStartObject("properties");
            foreach (var field in route.Body)
            {
                json.WriteStartObject(field.Name);
                if (field.Name == "set")
                {
                    json.WriteString("type", "array");
                    json.WriteStartObject("items");
                    json.WriteString("type", "string");
                    json.WriteEndObject();
                }
                else if (field.Name == "force")
                {
                    json.WriteStartArray("oneOf");
                    json.WriteStartObject();
                    json.WriteString("type", "boolean");
                    json.WriteEndObject();
                    json.WriteStartObject();
                    json.WriteString("type", "array");
                    json.WriteStartObject("items");
                    json.WriteString("type", "string");
                    json.WriteEndObject();
                    json.WriteEndObject();
                    json.WriteEndArray();
                }
                else
                {
                    json.WriteString("type", "string");
                }

                json.WriteString("description", field.Meaning);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteStartObject("responses");
        foreach (var (code, meaning) in route.Responses)
        {
            json.WriteStartObject(code.ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("description", meaning);
            json.WriteStartObject("content");
            json.WriteStartObject(code >= 400 ? "application/problem+json" : route.Produces);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteStartObject("401");
        json.WriteString("description", "off loopback: no or a wrong bearer token");
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string OperationId(ApiRoute route)
    {
        var words = route.Path.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Trim('{', '}').Replace(".json", "Json", StringComparison.Ordinal))
            .Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]);
        var name = string.Concat(words);
        return route.Method.ToLowerInvariant() + (name.Length == 0 ? "Dashboard" : name);
    }
}
