using System.Text.Json;
using Cairn.Engine.Configuration;
using Cairn.Service.Hosting;
using Cairn.Service.Pipelines;
using Cairn.Service.Runs;

namespace Cairn.Service.Api;

/// <summary>
/// Turns the body of POST /api/runs into a run request, checked as the command line is: the pipeline and target by
/// name, then the partitions, <c>set</c> and <c>force</c> by the engine itself, exactly as it checks <c>--partition</c>,
/// <c>--from</c>/<c>--to</c>, <c>--set</c> and <c>--force</c> (so a key of another grain than the pipeline's, or any
/// partition of a pipeline without partitions, is refused with the grain and an example). Every problem comes back as
/// one message.
/// </summary>
internal static class RunRequestReader
{
    private static readonly string[] Fields = ["pipeline", "target", "partition", "from", "to", "set", "force", "token"];

    /// <exception cref="CairnUsageException">The body cannot be used; the message says why.</exception>
    public static RunRequest Read(string body, ServiceState state)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new CairnUsageException($"The body is not JSON ({e.Message}). Send an object such as {{\"target\": \"Clean\", \"partition\": \"2013-05-03\"}}, or nothing to run every stage over every partition.");
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new CairnUsageException($"The body is JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object; send an object such as {{\"target\": \"Clean\"}}.");
        }

        var problems = new List<string>();
        foreach (var property in root.EnumerateObject().Where(p => !Fields.Contains(p.Name)))
        {
            problems.Add($"'{property.Name}' is not a field of a run request; the fields are {string.Join(", ", Fields)}.");
        }

        var pipelineName = Text(root, "pipeline", problems);
        var pipeline = Pipeline(pipelineName, state, problems);
        var target = Text(root, "target", problems);
        if (pipeline is not null && target is not null && !pipeline.IsTarget(target))
        {
            problems.Add($"Target '{target}' is not a stage of pipeline {pipeline.Name}; the targets are {string.Join(", ", pipeline.Stages.Select(s => s.Name).Append(ServedPipeline.AllStages))}.");
        }

        var partition = Text(root, "partition", problems);
        var from = Text(root, "from", problems);
        var to = Text(root, "to", problems);
        var set = List(root, "set", problems);
        var force = Force(root, problems);
        var token = Text(root, "token", problems);
        if (token is { Length: 0 or > 200 })
        {
            problems.Add("'token' must be 1 to 200 characters.");
        }

        if (problems.Count > 0 || pipeline is null)
        {
            throw new CairnUsageException(problems);
        }

        var extra = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (set.Count > 0)
        {
            extra["set"] = set;
        }

        if (force is not null)
        {
            extra["force"] = [force];
        }

        // The engine checks the partitions and the overrides as it checks a run's command line.
        var check = PipelineCatalog.Engine(pipeline.RunArguments);
        foreach (var (name, value) in new[] { ("partition", partition), ("from", from), ("to", to) })
        {
            if (value is not null)
            {
                check[name] = [value];
            }
        }

        foreach (var (name, values) in extra)
        {
            check[name] = values;
        }

        using (Engine(state, pipeline, check))
        {
        }

        // The engine took them, so they are keys of the pipeline's grain (and none at all for grain: none).
        var range = partition is not null ? PartitionRange.Key(partition) : new PartitionRange(from, to);
        return new RunRequest(pipeline.Name, target ?? pipeline.DefaultTarget, "api", Detail(partition, from, to, set, force), range, pipeline.Definition.Partitions, extra, RunRetryPolicy.None) { Token = token };
    }

    public static ServedPipeline? Pipeline(string? name, ServiceState state, List<string> problems)
    {
        var pipelines = state.Pipelines;
        if (name is null)
        {
            if (pipelines.Count == 1)
            {
                return pipelines[0];
            }

            problems.Add($"Name the pipeline: the service runs {string.Join(", ", pipelines.Select(p => p.Name))}.");
            return null;
        }

        var pipeline = state.Find(name);
        if (pipeline is null)
        {
            problems.Add($"There is no pipeline '{name}' here; the service runs {string.Join(", ", pipelines.Select(p => p.Name))}.");
        }

        return pipeline;
    }

    private static CairnSession Engine(ServiceState state, ServedPipeline pipeline, Dictionary<string, IReadOnlyList<string>> arguments) =>
        CairnSession.Open(state.Arguments.RepositoryRoot, pipeline.File, "Status", arguments, pipeline.TargetGraph, TextWriter.Null, [], PipelineCatalog.Host());

    private static string Detail(string? partition, string? from, string? to, List<string> set, string? force)
    {
        var parts = new List<string>();
        if (partition is not null)
        {
            parts.Add("--partition=" + partition);
        }

        if (from is not null)
        {
            parts.Add("--from=" + from);
        }

        if (to is not null)
        {
            parts.Add("--to=" + to);
        }

        parts.AddRange(set.Select(s => "--set=" + s));
        if (force is not null)
        {
            parts.Add(force.Length == 0 ? "--force" : "--force=" + force);
        }

        return parts.Count == 0 ? "POST /api/runs" : "POST /api/runs " + string.Join(' ', parts);
    }

    private static string? Text(JsonElement root, string name, List<string> problems)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            problems.Add($"'{name}' must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}.");
            return null;
        }

        return value.GetString();
    }

    private static List<string> List(JsonElement root, string name, List<string> problems)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            return [value.GetString()!];
        }

        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            problems.Add($"'{name}' must be a list of strings such as [\"Train.l2=0.5\"].");
            return [];
        }

        return value.EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    /// <summary><c>true</c>: every stage (the engine's bare <c>--force</c>); a list or a string: those stages; <c>false</c>: none.</summary>
    private static string? Force(JsonElement root, List<string> problems)
    {
        if (!root.TryGetProperty("force", out var value) || value.ValueKind is JsonValueKind.Null or JsonValueKind.False)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => "true",
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Array when value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String) => string.Join(',', value.EnumerateArray().Select(v => v.GetString())),
            _ => Bad(),
        };

        string? Bad()
        {
            problems.Add("'force' must be true, or a list of stages such as [\"Train\"].");
            return null;
        }
    }
}
