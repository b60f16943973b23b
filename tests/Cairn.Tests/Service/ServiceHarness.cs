using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Tests.Engine;
using Cairn.Tests.Support;

namespace Cairn.Tests.Service;

/// <summary>
/// A temp repository for the service's tests: pipeline files of test stages (with their schedules), landing zones,
/// workspaces; starts the real service on 127.0.0.1 and a port the system picks, and reads its API and run logs.
/// Every service it started is killed on dispose, and the folder removed.
/// </summary>
internal sealed class ServiceHarness : IDisposable
{
    private readonly List<ServiceProcess> _services = [];

    public ServiceHarness() => Env = new TestEnvironment();

    public TestEnvironment Env { get; }

    public string Root => Env.Root;

    public string Workspace => Env.PathOf("work");

    public string Raw => Env.PathOf("landing");

    public ServiceProcess? Service => _services.LastOrDefault();

    public HttpClient Http => Service!.Http;

    /// <summary>
    /// A pipeline named <paramref name="name"/>: one partitioned TestStage copying each day's part.csv (stopped at a
    /// gate by the codes <paramref name="reviewOn"/> names), then the schedules and notifiers given.
    /// </summary>
    public static PipelineYaml CopyPipeline(string name = "test", string fault = "none", string extra = "", string? parameters = null, string[]? reviewOn = null)
    {
        return new PipelineYaml(name).Stage("Copy", "TestStage", s =>
        {
            s.CopiesEachDay("data/out/date={date}/out.txt").Parameter("Fault", fault);
            if (reviewOn is not null)
            {
                s.ReviewOn(reviewOn);
            }

            foreach (var pair in (parameters ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                var (key, value) = (pair.Split('=')[0], pair.Split('=')[1]);
                s.Parameter(key, value);
            }
        }).Then(extra);
    }

    public string WritePipeline(PipelineYaml pipeline, string folder = "pipelines/test") => Env.WriteFile($"{folder}/pipeline.yaml", pipeline.ToString());

    /// <summary>A <see cref="CopyPipeline"/> named <paramref name="name"/>, in <c>pipelines/NAME</c>, run by an <c>after:</c> schedule when a run of <paramref name="upstream"/> succeeds.</summary>
    public string WriteAfter(string name, string upstream) => WritePipeline(
        CopyPipeline(name, extra: $$"""
            schedules:
              - name: after_{{upstream}}
                after: { pipeline: {{upstream}}, status: succeeded }
            """),
        $"pipelines/{name}");

    public void WriteDay(string day, string content = "a,b\n1,2\n", string landing = "landing", string file = "part.csv") => Env.WriteFile($"{landing}/date={day}/{file}", content);

    /// <summary>Starts the service for the given pipeline file(s) with this harness's workspace and landing zone, and waits until it listens.</summary>
    public ServiceProcess Start(IEnumerable<string>? pipelines = null, IEnumerable<string>? extra = null, IDictionary<string, string?>? environment = null, bool wait = true)
    {
        var arguments = new List<string> { "--repository=" + Root, "--workspace=" + Workspace, "--raw=" + Raw, "--urls=http://127.0.0.1:0" };
        arguments.AddRange((pipelines ?? [Env.PathOf("pipelines/test/pipeline.yaml")]).Select(p => "--pipeline=" + p));
        foreach (var argument in extra ?? [])
        {
            var name = argument.Split('=')[0];
            arguments.RemoveAll(a => a.Split('=')[0] == name);
            arguments.Add(argument);
        }

        var service = ServiceProcess.Start(Root, arguments, environment);
        _services.Add(service);
        if (wait)
        {
            service.WaitUntilListening();
        }

        return service;
    }

    public JsonNode Get(string path)
    {
        using var response = Http.GetAsync(new Uri(path, UriKind.Relative)).GetAwaiter().GetResult();
        var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        response.IsSuccessStatusCode.ShouldBeTrue($"GET {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>GET that answers text; the status and the body.</summary>
    public (int Status, string Body, HttpResponseMessage Response) GetText(string path)
    {
        var response = Http.GetAsync(new Uri(path, UriKind.Relative)).GetAwaiter().GetResult();
        return ((int)response.StatusCode, response.Content.ReadAsStringAsync().GetAwaiter().GetResult(), response);
    }

    public (int Status, JsonNode? Body, HttpResponseMessage Response) Post(string path, string? json = null)
    {
        using var content = new StringContent(json ?? string.Empty, System.Text.Encoding.UTF8, "application/json");
        var response = Http.PostAsync(new Uri(path, UriKind.Relative), content).GetAwaiter().GetResult();
        var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        return ((int)response.StatusCode, body.Length == 0 ? null : JsonNode.Parse(body), response);
    }

    /// <summary>Waits until a run the API lists matches; the first that does.</summary>
    public JsonNode WaitForRun(Func<JsonNode, bool> match, int seconds = 90, string? what = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var runs = Get("/api/runs?limit=200").AsArray();
            if (runs.FirstOrDefault(r => r is not null && match(r)) is { } run)
            {
                return run;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                throw new TimeoutException($"No run {what ?? "as expected"} in {seconds} s. Runs: {runs.ToJsonString()}\nService output:\n{Service!.Output}");
            }

            Thread.Sleep(200);
        }
    }

    /// <summary>Waits until the run has ended (any status but queued and running) and returns it with its cells.</summary>
    public JsonNode WaitForEnd(string runId, int seconds = 90)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var found = Get($"/api/runs/{runId}");
            var status = (string)found["run"]!["status"]!;
            if (status is not ("queued" or "running"))
            {
                return found;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(seconds))
            {
                throw new TimeoutException($"Run {runId} still {status} after {seconds} s. Service output:\n{Service!.Output}");
            }

            Thread.Sleep(200);
        }
    }

    public static string Text(JsonNode? node) => node?.GetValue<string>() ?? string.Empty;

    public static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web);

    public void Dispose()
    {
        foreach (var service in _services)
        {
            service.Dispose();
        }

        Env.Dispose();
    }
}
