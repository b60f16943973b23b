using System.Text.RegularExpressions;
using Cairn.Engine.Configuration;
using Cairn.Service.Api;
using Cairn.Service.Hosting;
using Cairn.Service.Runs;
using Cairn.Service.Scheduling;
using Cairn.Service.Store;
using Cairn.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Tests.Service;

/// <summary>
/// README's "Running as a service" against the service: its API table is the endpoints the service maps (and
/// <c>/openapi.json</c> describes, both from <see cref="ApiRoutes.All"/>), its schedule keys are the keys the loader
/// reads, and its schedules example loads.
/// </summary>
public sealed partial class ReadmeServiceTests
{
    // The dashboard's script and style sheet: files of the page at '/', not API.
    private static readonly string[] DashboardFiles = ["GET /app.js", "GET /app.css"];

    private static string Section { get; } = ServiceSection();

    [Fact]
    public void The_README_API_table_is_the_endpoints_the_service_maps_as_the_OpenAPI_document_describes_them()
    {
        Section.ShouldContain(ApiTable() + "\n", Case.Sensitive, "README.md: Running as a service: the API table, written from ApiRoutes.All:\n" + ApiTable());

        var listed = TableRows("endpoint").Select(r => r[0].Trim('`')).Order(StringComparer.Ordinal).ToList();
        listed.ShouldBe(MappedEndpoints().Except(DashboardFiles).Order(StringComparer.Ordinal).ToList(), "README.md's API table against the endpoints ApiEndpoints.Map maps");
        Section.ShouldContain("![The dashboard](docs/dashboard.png)");
        File.Exists(Repository.PathOf("docs/dashboard.png")).ShouldBeTrue();
    }

    [Fact]
    public void The_README_schedule_keys_are_the_keys_the_loader_reads_and_its_example_uses_every_one()
    {
        var listed = TableRows("key").Select(r => r[0].Trim('`')).Order(StringComparer.Ordinal).ToList();

        listed.ShouldBe(KeysTheLoaderReads().Order(StringComparer.Ordinal).ToList(), "README.md's schedule keys against the keys PipelineLoader knows");
        var example = SchedulesExample();
        foreach (var key in listed)
        {
            example.ShouldContain(key.Split('.')[^1] + ":", Case.Sensitive, $"README.md's schedules example shows every key; '{key}' is missing");
        }

        using var env = new TestEnvironment();
        var sample = File.ReadAllText(Repository.PathOf("pipelines/weather/pipeline.yaml")).ReplaceLineEndings("\n");
        var withExample = SampleSchedules().Replace(sample, example, 1);
        withExample.ShouldNotBe(sample, "the sample pipeline file has a schedules: list to replace");
        foreach (var config in Directory.EnumerateFiles(Repository.PathOf("pipelines/weather/config")))
        {
            env.WriteFile("weather/config/" + Path.GetFileName(config), File.ReadAllText(config));
        }

        var schedules = PipelineLoader.Load(env.WriteFile("weather/pipeline.yaml", withExample).ToString()).Schedules;

        schedules.Select(s => (s.Name, s.Kind)).ShouldBe([("nightly", ScheduleKind.Cron), ("arrivals", ScheduleKind.Arrival), ("after_ingest", ScheduleKind.After)]);
        (schedules[0].TimeZone, schedules[0].Target, schedules[0].CatchUp, schedules[0].Retry.Attempts).ShouldBe(("Europe/Paris", "Package", 7, 4));
        (schedules[1].QuietPeriod, schedules[2].AfterPipeline).ShouldBe((TimeSpan.FromSeconds(30), "ingest_orders"));
    }

    private static string ServiceSection()
    {
        var readme = File.ReadAllText(Repository.PathOf("README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf("\n## Running as a service\n", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0, "README.md has a section '## Running as a service'");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? readme[start..] : readme[start..end];
    }

    private static string ApiTable() =>
        "| endpoint | what | answers | auth |\n| --- | --- | --- | --- |\n" + string.Join("\n", ApiRoutes.All.Select(r =>
            $"| `{r.Method} {r.Path}` | {r.Summary}{Parameters(r)} | {string.Join(", ", r.Responses.Keys)} | off loopback: bearer token, else 401 |"));

    private static string Parameters(ApiRoute route)
    {
        var query = route.Parameters.Where(p => p.In == "query").Select(p => $"`{p.Name}`").Concat(route.Body.Select(b => $"`{b.Name}`")).ToList();
        return query.Count == 0 ? string.Empty : $" ({(route.Body.Count > 0 ? "body" : "query")}: {string.Join(", ", query)})";
    }

    /// <summary>The rows of the section's table whose first header is <paramref name="firstHeader"/>, split into cells.</summary>
    private static List<string[]> TableRows(string firstHeader)
    {
        var lines = Section.Split('\n');
        var header = Array.FindIndex(lines, l => l.StartsWith($"| {firstHeader} |", StringComparison.Ordinal));
        header.ShouldBeGreaterThan(0, $"README.md: Running as a service has a table starting '| {firstHeader} |'");
        return lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Trim('|').Split(" | ").Select(c => c.Trim()).ToArray())
            .ToList();
    }

    private static string SchedulesExample()
    {
        var block = YamlBlock().Matches(Section).Select(m => m.Groups["yaml"].Value).SingleOrDefault(y => y.StartsWith("schedules:", StringComparison.Ordinal));
        block.ShouldNotBeNull("README.md: Running as a service has a ```yaml block starting 'schedules:'");
        return block;
    }

    /// <summary>What the service maps, read from a host built with the service's endpoints and nothing started.</summary>
    private static List<string> MappedEndpoints()
    {
        var builder = WebApplication.CreateSlimBuilder();

        // Registered only so the endpoints bind these parameters as services; no handler runs here.
        foreach (var service in new[] { typeof(ServiceState), typeof(RunStore), typeof(RunLogs), typeof(RunQueue), typeof(ScheduleService), typeof(EventHub) })
        {
            builder.Services.AddSingleton(service, _ => throw new InvalidOperationException($"{service.Name} is not made when endpoints are only listed."));
        }

        var app = builder.Build();
        ApiEndpoints.Map(app);
        return ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToList();
    }

    /// <summary>The loader's keys at every level, as it names them when it meets one it does not know.</summary>
    private static List<string> KeysTheLoaderReads()
    {
        using var env = new TestEnvironment();
        var file = env.WriteFile("pipeline.yaml", ServiceHarness.CopyPipeline(extra: """
            schedules:
              - name: a
                cron: "0 30 2 * * ?"
                retry: { not_a_key: 1 }
                not_a_key: 1
              - name: b
                arrival: { not_a_key: 1 }
              - name: c
                after: { pipeline: p, not_a_key: 1 }
            """).ToString());
        var error = Should.Throw<CairnConfigurationException>(() => PipelineLoader.Load(file));

        var keys = new List<string>();
        foreach (Match known in KnownKeys().Matches(error.Message))
        {
            var prefix = known.Groups["what"].Value switch
            {
                "a schedule" => string.Empty,
                "a schedule's retry" => "retry.",
                var what => what + ".",
            };
            keys.AddRange(known.Groups["keys"].Value.Split(", ").Select(k => prefix + k));
        }

        keys.Count(k => !k.Contains('.', StringComparison.Ordinal)).ShouldBeGreaterThan(0, error.Message);
        keys.ShouldContain(k => k.StartsWith("retry.", StringComparison.Ordinal), error.Message);
        keys.ShouldContain(k => k.StartsWith("arrival.", StringComparison.Ordinal), error.Message);
        keys.ShouldContain(k => k.StartsWith("after.", StringComparison.Ordinal), error.Message);
        return keys;
    }

    [GeneratedRegex(@"```yaml\n(?<yaml>.*?)```", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex YamlBlock();

    [GeneratedRegex(@"^schedules:\n(?:[ #].*\n|\n)*?(?=\S)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex SampleSchedules();

    [GeneratedRegex(@"(?<what>a schedule|a schedule's retry|arrival|after) has no key 'not_a_key'; it knows (?<keys>[a-z_, ]+)\.", RegexOptions.CultureInvariant)]
    private static partial Regex KnownKeys();
}
