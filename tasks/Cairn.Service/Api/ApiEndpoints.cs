using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Cairn.Engine.Inspecting;
using Cairn.Engine.Partitions;
using Cairn.Engine.Status;
using Cairn.Engine.Workspace;
using Cairn.Service.Hosting;
using Cairn.Service.Pipelines;
using Cairn.Service.Runs;
using Cairn.Service.Scheduling;
using Cairn.Service.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cairn.Service.Api;

/// <summary>Maps every endpoint of <see cref="ApiRoutes.All"/>; each answer is JSON (or text), each error problem details.</summary>
internal static partial class ApiEndpoints
{
    private const int DefaultRunLimit = 50;
    private const int DefaultTrendLimit = 30;
    private const int MostRows = 1000;
    private const int DashboardCells = 400;
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    private static readonly System.Text.Json.JsonSerializerOptions WebJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    public static void Map(WebApplication app)
    {
        app.MapPost("/api/runs", PostRun);
        app.MapGet("/api/runs", (HttpRequest request, ServiceState state, RunLogs logs) =>
            Limit(request, DefaultRunLimit, out var limit) is { } bad ? bad
            : Pipeline(request, state, required: false, out var pipeline) is { } unknown ? unknown
            : Results.Ok(logs.Latest(limit, pipeline)));
        app.MapGet("/api/runs/{id}", (string id, HttpRequest request, RunLogs logs) =>
            Limit(request, int.MaxValue, out var cells, "cells") is { } bad ? bad
            : logs.Find(id) is { } found ? Results.Ok(RunDetail(found, cells))
            : Problems.NotFound($"There is no run '{id}'; GET /api/runs lists the latest."));
        app.MapGet("/api/runs/{id}/log", RunLog);
        app.MapGet("/api/cells/log", CellLog);
        app.MapGet("/api/status", Status);
        app.MapGet("/api/health", async (ServiceState state, RunStore store, ScheduleService schedules, CancellationToken cancellation) => Results.Ok(await Health(state, store, schedules, cancellation)));
        app.MapGet("/api/pipelines", (ServiceState state) => Results.Ok(Pipelines(state)));
        app.MapGet("/api/trends", (HttpRequest request, ServiceState state, RunLogs logs) =>
            Limit(request, DefaultTrendLimit, out var limit) is { } bad ? bad
            : Pipeline(request, state, required: true, out var pipeline) is { } unknown ? unknown
            : Results.Ok(Trends(logs, pipeline!, limit)));
        app.MapGet("/api/schedules", async (ScheduleService schedules, CancellationToken cancellation) => Results.Ok(await schedules.Describe(cancellation)));
        app.MapPost("/api/schedules/reload", async (ScheduleService schedules, CancellationToken cancellation) =>
        {
            try
            {
                return Results.Ok(new { changes = await schedules.Reload(cancellation) });
            }
            catch (CairnUsageException e)
            {
                return Problems.BadRequest($"Nothing changed: {e.Message}");
            }
        });
        app.MapPost("/api/schedules/{name}/pause", (string name, HttpRequest request, ServiceState state, ScheduleService schedules, CancellationToken cancellation) => Pause(name, true, request, state, schedules, cancellation));
        app.MapPost("/api/schedules/{name}/resume", (string name, HttpRequest request, ServiceState state, ScheduleService schedules, CancellationToken cancellation) => Pause(name, false, request, state, schedules, cancellation));
        app.MapGet("/api/reviews", (HttpRequest request, ServiceState state) =>
            Pipeline(request, state, required: false, out var pipeline) is { } unknown ? unknown
            : Results.Ok(ReviewView.Of(state, pipeline is null ? state.Pipelines : [pipeline])));
        app.MapGet("/api/events", Events);
        app.MapGet("/metrics", async (ServiceState state, RunStore store, RunLogs logs, ScheduleService schedules, CancellationToken cancellation) =>
            Results.Text(MetricsText.Write(state, store, logs, await schedules.Describe(cancellation)), "text/plain; version=0.0.4; charset=utf-8"));
        app.MapGet("/openapi.json", () => Results.Text(OpenApiDocument.Write(), "application/json"));
        app.MapGet("/", DashboardPage);
        app.MapGet("/app.js", () => Dashboard("app.js", "text/javascript; charset=utf-8"));
        app.MapGet("/app.css", () => Dashboard("app.css", "text/css; charset=utf-8"));
    }

    private static string Version => typeof(ApiEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static async Task<IResult> PostRun(HttpRequest request, ServiceState state, RunQueue queue)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        RunRequest run;
        try
        {
            run = await Task.Run(() => RunRequestReader.Read(body, state));
        }
        catch (CairnUsageException e)
        {
            return Problems.BadRequest(e.Message);
        }

        try
        {
            var (queued, merged) = queue.Enqueue(run);
            return Results.Accepted($"/api/runs/{queued.Id}", new { id = queued.Id, status = queued.Status, merged, pipeline = queued.Pipeline, target = queued.Target, partitions = queued.Partitions.ToString() });
        }
        catch (DuplicateTokenException e)
        {
            return Problems.Conflict(e.Message, e.ExistingRunId);
        }
    }

    private static IResult RunLog(string id, RunLogs logs, ServiceState state)
    {
        if (!RunIdPattern().IsMatch(id) || logs.Find(id) is not { } found || state.Find(found.Run.Pipeline) is not { } pipeline)
        {
            return Problems.NotFound($"There is no run '{id}'; GET /api/runs lists the latest.");
        }

        var path = Path.Combine(new WorkspaceLayout(pipeline.Workspace).RunLogs, id + ".log");
        return File.Exists(path)
            ? Results.Text(ReadShared(path), "text/plain; charset=utf-8")
            : Problems.NotFound($"Run {id} has no log: it has not started{(found.Run.Failure is { } why ? $" ({why})" : string.Empty)}.");
    }

    private static IResult CellLog(HttpRequest request, ServiceState state)
    {
        if (Pipeline(request, state, required: true, out var pipeline) is { } unknown)
        {
            return unknown;
        }

        var stage = request.Query["stage"].ToString();
        var plan = pipeline!.Stages.FirstOrDefault(s => s.Name == stage);
        if (plan is null)
        {
            return Problems.BadRequest($"'stage={stage}' is not a stage of {pipeline.Name}; the stages are {string.Join(", ", pipeline.Stages.Select(s => s.Name))}.");
        }

        string? partition = null;
        var scheme = pipeline.Definition.Partitions;
        if (plan.Definition.Partitioned)
        {
            var text = request.Query["partition"].ToString();
            if (!scheme.IsKey(text))
            {
                return Problems.BadRequest($"Stage {stage} is partitioned: give 'partition={scheme.Pattern}' ({scheme.Explain(text)}).");
            }

            partition = text;
        }

        // A cell's own log file, or its lines in the stage's log of the run that recorded it (a cell that logged only the default lines).
        var layout = new WorkspaceLayout(pipeline.Workspace) { PartitionKey = scheme.Key };
        var log = Engine.Runs.StageLogs.ReadCell(layout, new Engine.Checkpoints.CheckpointStore(layout.Checkpoints, partitionKey: scheme.Key), stage, partition);
        return log is not null
            ? Results.Text(log, "text/plain; charset=utf-8")
            : Problems.NotFound($"{stage}{(partition is null ? string.Empty : $" {scheme.Key}={partition}")} has no log yet: no run has run it.");
    }

    private static async Task<IResult> Status(HttpRequest request, ServiceState state)
    {
        if (Pipeline(request, state, required: true, out var pipeline) is { } unknown)
        {
            return unknown;
        }

        try
        {
            var json = await Task.Run(() =>
            {
                using var session = PipelineCatalog.OpenForReading(state.Arguments.RepositoryRoot, pipeline!.File, pipeline.TargetGraph, pipeline.RunArguments);
                var report = session.Options.RawIsDefaultLandingZone && !Directory.Exists(session.Options.RawDirectory)
                    ? UnmadeLandingZoneStatus.Report(session.Options, session.Plan, session.Options.RawDirectory)
                    : new StatusCheck(session.Options, session.Plan).Check();
                return StatusJson.Write(report);
            });
            return Results.Text(json, "application/json");
        }
        catch (CairnUsageException e)
        {
            return Problems.BadRequest(e.Message);
        }
    }

    private static async Task<IResult> Pause(string name, bool paused, HttpRequest request, ServiceState state, ScheduleService schedules, CancellationToken cancellation)
    {
        var pipelineName = request.Query["pipeline"].ToString();
        var matches = state.Pipelines
            .Where(p => pipelineName.Length == 0 || p.Name == pipelineName)
            .SelectMany(p => p.Schedules.Where(s => s.Name == name).Select(s => (Pipeline: p, Schedule: s)))
            .ToList();
        if (matches.Count == 0)
        {
            var known = state.Pipelines.SelectMany(p => p.Schedules.Select(s => state.Pipelines.Count > 1 ? $"{p.Name}/{s.Name}" : s.Name)).ToList();
            return Problems.NotFound($"There is no schedule '{name}'{(pipelineName.Length > 0 ? $" in {pipelineName}" : string.Empty)}; the schedules are {(known.Count == 0 ? "none" : string.Join(", ", known))}.");
        }

        if (matches.Count > 1)
        {
            return Problems.BadRequest($"Several pipelines have a schedule '{name}' ({string.Join(", ", matches.Select(m => m.Pipeline.Name))}); add ?pipeline=NAME.");
        }

        await schedules.SetPaused(matches[0].Pipeline, matches[0].Schedule, paused, cancellation);
        var view = (await schedules.Describe(cancellation)).First(v => v.Pipeline == matches[0].Pipeline.Name && v.Name == name);
        return Results.Ok(view);
    }

    private static async Task Events(HttpContext context, EventHub hub, IHostApplicationLifetime lifetime)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        using var subscription = hub.Subscribe();
        await context.Response.WriteAsync(": Cairn events\n\n", stopping.Token);
        await context.Response.Body.FlushAsync(stopping.Token);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
                wait.CancelAfter(Heartbeat);
                try
                {
                    var message = await subscription.Reader.ReadAsync(wait.Token);
                    await context.Response.WriteAsync($"event: {message.Type}\ndata: {message.Json}\n\n", stopping.Token);
                    while (subscription.Reader.TryRead(out var more))
                    {
                        await context.Response.WriteAsync($"event: {more.Type}\ndata: {more.Json}\n\n", stopping.Token);
                    }
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                {
                    await context.Response.WriteAsync(": keep-alive\n\n", stopping.Token);
                }

                await context.Response.Body.FlushAsync(stopping.Token);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The client went away, or the service is stopping.
        }
    }

    private static IResult Dashboard(string file, string contentType) => Results.Text(Embedded(file), contentType);

    private static string Embedded(string file)
    {
        using var stream = typeof(ApiEndpoints).Assembly.GetManifestResourceStream("dashboard/" + file)
            ?? throw new InvalidOperationException($"The dashboard's {file} is not embedded in Cairn.Service.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The dashboard with its first data inside (pipelines, the latest runs and the newest one's cells, schedules,
    /// trends): it shows them as soon as it is parsed, with no round trip, then goes live on the event stream.
    /// </summary>
    private static async Task<IResult> DashboardPage(ServiceState state, RunStore store, RunLogs logs, ScheduleService schedules, CancellationToken cancellation)
    {
        var pipeline = state.Pipelines[0];
        var runs = logs.Latest(DefaultRunLimit, pipeline);
        var newest = runs.FirstOrDefault(r => r.Status != "queued") is { } run ? logs.Find(run.Id) : null;
        var initial = new
        {
            pipelines = Pipelines(state),
            runs,
            selected = newest is { } found ? RunDetail(found, DashboardCells) : null,
            schedules = await schedules.Describe(cancellation),
            trends = Trends(logs, pipeline, DefaultTrendLimit),
            health = await Health(state, store, schedules, cancellation),
            reviews = ReviewView.Of(state, [pipeline]),
        };
        var json = System.Text.Json.JsonSerializer.Serialize(initial, WebJson)
            .Replace("</", "<\\/", StringComparison.Ordinal);
        var page = Embedded("index.html").Replace(
            "<script id=\"initial\" type=\"application/json\">{}</script>",
            $"<script id=\"initial\" type=\"application/json\">{json}</script>",
            StringComparison.Ordinal);
        return Results.Text(page, "text/html; charset=utf-8");
    }

    private static object RunDetail((RunView Run, IReadOnlyList<Engine.Observing.CellRecord> Cells, IReadOnlyList<QueuedRun> Attempts) found, int cellLimit) => new
    {
        run = found.Run,
        stages = found.Cells.GroupBy(c => c.Stage).Select(g =>
        {
            var last = g.GroupBy(c => c.Partition).Select(p => p.MaxBy(c => c.Attempt)!).ToList();
            return new
            {
                stage = g.Key,
                cells = last.Count,
                ran = last.Count(c => c.Status == "succeeded"),
                skipped = last.Count(c => c.Status == "skipped"),
                failed = last.Count(c => c.Status == "failed"),
                pending = last.Count(c => c.Status == "pending"),
            };
        }),
        cellsTotal = found.Cells.Count,

        // What failed, then what ran, then the rest: with a limit, the cells that tell the most come first.
        cells = found.Cells.OrderBy(c => c.Status == "failed" ? 0 : c.Decision == "run" ? 1 : 2).Take(cellLimit),
        attempts = found.Attempts.Select(a => new { a.Id, a.Attempt, a.Status, a.Trigger, a.Detail, a.StartedAt, a.FinishedAt, a.Failure }),
    };

    private static async Task<object> Health(ServiceState state, RunStore store, ScheduleService schedules, CancellationToken cancellation)
    {
        var queue = store.Queued();
        return new
        {
            status = "ok",
            version = Version,
            pipelines = state.Pipelines.Select(p => new { name = p.Name, workspace = p.Workspace, landingZone = p.Raw }),
            queued = queue.Count(r => r.Status == "queued"),
            running = queue.Where(r => r.Status == "running").Select(r => r.Id),
            scheduler = await schedules.Health(cancellation),
        };
    }

    private static List<object> Pipelines(ServiceState state) => state.Pipelines.Select(p => (object)new
    {
        name = p.Name,
        file = p.File,
        workspace = p.Workspace,
        landingZone = p.Raw,
        defaultTarget = p.DefaultTarget,
        partitions = new { key = p.Definition.Partitions.Key, grain = p.Definition.Partitions.GrainName },
        stages = p.Stages.Select(s => new { name = s.Name, task = s.Definition.TaskTypeName, partitioned = s.Definition.Partitioned, reads = s.Producers }),
        edges = p.Edges.Select(e => new { from = e.From, to = e.To }),
    }).ToList();

    private static object Trends(RunLogs logs, ServedPipeline pipeline, int limit) =>
        new { pipeline = pipeline.Name, stages = pipeline.Stages.Select(s => s.Name), points = logs.Trends(pipeline, limit) };

    private static IResult? Limit(HttpRequest request, int fallback, out int limit, string name = "limit")
    {
        limit = fallback;
        var text = request.Query[name].ToString();
        if (text.Length == 0)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MostRows)
        {
            return Problems.BadRequest($"'{name}={text}' must be a whole number from 1 to {MostRows}.");
        }

        return null;
    }

    private static IResult? Pipeline(HttpRequest request, ServiceState state, bool required, out ServedPipeline? pipeline)
    {
        var name = request.Query["pipeline"].ToString();
        var problems = new List<string>();
        pipeline = name.Length == 0 && !required ? null : RunRequestReader.Pipeline(name.Length == 0 ? null : name, state, problems);
        return problems.Count > 0 ? Problems.BadRequest(string.Join(" ", problems)) : null;
    }

    /// <summary>Reads a log another thread may still be writing.</summary>
    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,100}$", RegexOptions.CultureInvariant)]
    private static partial Regex RunIdPattern();
}
