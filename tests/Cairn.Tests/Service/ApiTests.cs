using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cairn.Engine.Governance;
using Cairn.Engine.Hosting;
using Cairn.Engine.Workspace;
using Cairn.Service.Api;

namespace Cairn.Tests.Service;

/// <summary>Every endpoint of the real service over real HTTP on 127.0.0.1.</summary>
public sealed partial class ApiTests : IClassFixture<ApiFixture>
{
    private readonly ApiFixture _fixture;

    public ApiTests(ApiFixture fixture) => _fixture = fixture;

    private ServiceHarness Harness => _fixture.Harness;

    [Fact]
    public void POST_runs_queues_a_run_answers_its_id_and_a_used_token_is_refused_with_409()
    {
        var (status, body, response) = Harness.Post("/api/runs", """{"target": "Copy", "partition": "2020-01-02", "force": true, "token": "nightly-2020-01-02"}""");

        status.ShouldBe(202, body?.ToJsonString());
        var id = ServiceHarness.Text(body!["id"]);
        response.Headers.Location!.ToString().ShouldBe($"/api/runs/{id}");
        ServiceHarness.Text(body["partitions"]).ShouldBe("2020-01-02");
        var found = Harness.WaitForEnd(id);
        ServiceHarness.Text(found["run"]!["status"]).ShouldBe("succeeded");
        ServiceHarness.Text(found["run"]!["trigger"]).ShouldBe("api");
        found["cells"]!.AsArray().Select(c => (ServiceHarness.Text(c!["partition"]), ServiceHarness.Text(c["reason"]))).ShouldBe([("2020-01-02", "forced")]);

        var (again, problem, _) = Harness.Post("/api/runs", """{"partition": "2020-01-03", "token": "nightly-2020-01-02"}""");
        again.ShouldBe(409);
        ServiceHarness.Text(problem!["runId"]).ShouldBe(id);
        ServiceHarness.Text(problem["detail"]).ShouldBe($"The run token 'nightly-2020-01-02' was already used by run {id}; a token starts one run. Ask GET /api/runs/{id} for it, or send another token.");
    }

    [Theory]
    [InlineData("{not json", "The body is not JSON (")]
    [InlineData("[1, 2]", "The body is JSON array, not an object; send an object such as {\"target\": \"Clean\"}.")]
    [InlineData("""{"target": "Nope"}""", "Target 'Nope' is not a stage of pipeline test; the targets are Copy, all.")]
    [InlineData("""{"colour": "red"}""", "'colour' is not a field of a run request; the fields are pipeline, target, partition, from, to, set, force, token.")]
    [InlineData("""{"pipeline": "other"}""", "There is no pipeline 'other' here; the service runs test.")]
    [InlineData("""{"partition": "2099-01-01"}""", "--partition=2099-01-01: there is no raw data for that day")]
    [InlineData("""{"from": "2020-02-01", "to": "2020-02-28"}""", "--from/--to select no partition: there is no raw data from 2020-02-01 to 2020-02-28.")]
    [InlineData("""{"partition": "2020-02-30"}""", "--partition=2020-02-30: '2020-02-30' is not a calendar date")]
    [InlineData("""{"force": 3}""", "'force' must be true, or a list of stages such as [\"Train\"].")]
    public void A_bad_run_request_gets_400_with_the_reason_as_problem_details(string json, string reason)
    {
        var (status, problem, response) = Harness.Post("/api/runs", json);

        status.ShouldBe(400, problem?.ToJsonString());
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        ServiceHarness.Text(problem!["title"]).ShouldBe("The request cannot be used");
        ((int)problem["status"]!).ShouldBe(400);
        ServiceHarness.Text(problem["detail"]).ShouldContain(reason);
        problem.ToJsonString().ShouldNotContain("   at ");
    }

    [Fact]
    public void GET_runs_lists_the_latest_and_GET_runs_id_has_the_cells_and_the_logs()
    {
        var runs = Harness.Get("/api/runs?limit=1").AsArray();
        runs.Count.ShouldBe(1);

        var found = Harness.Get($"/api/runs/{_fixture.FirstRun}");
        var run = found["run"]!;
        ServiceHarness.Text(run["status"]).ShouldBe("succeeded");
        ServiceHarness.Text(run["target"]).ShouldBe("Copy");
        ((int)run["cells"]!).ShouldBe(3);
        found["cells"]!.AsArray().Select(c => ServiceHarness.Text(c!["partition"])).Order().ShouldBe(["2020-01-01", "2020-01-02", "2020-01-03"]);

        var (logStatus, log, _) = Harness.GetText($"/api/runs/{_fixture.FirstRun}/log");
        logStatus.ShouldBe(200);
        log.ShouldContain($"Cairn run {_fixture.FirstRun} (local, 3 partitions) succeeded");
        var (cellStatus, cellLog, _) = Harness.GetText("/api/cells/log?stage=Copy&partition=2020-01-01");
        cellStatus.ShouldBe(200);
        // Its lines from the stage's log of the run, without the partition that leads each there.
        cellLog.ShouldContain($"run {_fixture.FirstRun}: Copy date=2020-01-01: first run");
        cellLog.ShouldNotContain("2020-01-02");
        cellLog.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldAllBe(l => !l.StartsWith("date=", StringComparison.Ordinal));

        Harness.GetText("/api/runs/nope").Status.ShouldBe(404);
        Harness.GetText("/api/runs?limit=0").Status.ShouldBe(400);
        Harness.GetText("/api/cells/log?stage=Nope").Status.ShouldBe(400);
    }

    [Fact]
    public void GET_status_health_pipelines_and_trends_answer_their_documents()
    {
        var status = Harness.Get("/api/status");
        ServiceHarness.Text(status["format"]).ShouldBe("cairn-status");
        ServiceHarness.Text(status["pipeline"]).ShouldBe("test");
        ((int)status["partitions"]!["count"]!).ShouldBe(3);

        var health = Harness.Get("/api/health");
        ServiceHarness.Text(health["status"]).ShouldBe("ok");
        var scheduler = health["scheduler"]!;
        (ServiceHarness.Text(scheduler["state"]), (int)scheduler["jobs"]!, (bool)scheduler["persistent"]!).ShouldBe(("running", 1, true));
        ServiceHarness.Text(scheduler["jobStore"]).ShouldContain("JobStore");
        DateTimeOffset.Parse(ServiceHarness.Text(scheduler["runningSince"]), CultureInfo.InvariantCulture).ShouldBeLessThanOrEqualTo(DateTimeOffset.UtcNow);
        var fire = scheduler["schedules"]!.AsArray().Single()!;
        (ServiceHarness.Text(fire["pipeline"]), ServiceHarness.Text(fire["name"]), ServiceHarness.Text(fire["kind"]), (bool)fire["paused"]!).ShouldBe(("test", "nightly", "cron", false));
        ServiceHarness.Text(fire["nextFireTime"]).ShouldBe(ServiceHarness.Text(Harness.Get("/api/schedules").AsArray().Single()!["nextFireTime"]));
        var pipeline = Harness.Get("/api/pipelines").AsArray().Single()!;
        pipeline["stages"]!.AsArray().Select(s => ServiceHarness.Text(s!["name"])).ShouldBe(["Copy"]);
        Harness.Get("/api/trends?limit=5")["points"]!.AsArray().ShouldNotBeEmpty();
    }

    [Fact]
    public void GET_reviews_lists_cells_stopped_at_their_gate_pending_first_each_with_the_commands_that_decide_it()
    {
        var first = RunStoppedAtTheGate("2020-01-02");
        var second = RunStoppedAtTheGate("2020-01-03");
        var filed = new ReviewStore(new WorkspaceLayout(Harness.Workspace).State).All();
        filed.Select(r => (r.RunId, r.Cell)).ShouldBe([(first, "Copy 2020-01-02"), (second, "Copy 2020-01-03")]);
        var before = Harness.Get("/api/reviews").AsArray();
        before.Select(r => ServiceHarness.Text(r!["status"])).ShouldBe(["pending", "pending"]);
        before.Select(r => ServiceHarness.Text(r!["id"])).ShouldBe([filed[1].Id, filed[0].Id], "pending, newest first");

        // The command the API shows for the older one, run as the CLI runs it from the repository's root, decides it.
        var decided = DecideFromTheRepository(ServiceHarness.Text(before[1]!["approve"]), "a test of the listing");
        decided.ShouldContain($"Review {filed[0].Id} of Copy 2020-01-02: approved by alice at ");
        var reviews = Harness.Get("/api/reviews").AsArray();

        reviews.Select(r => (ServiceHarness.Text(r!["id"]), ServiceHarness.Text(r["status"]))).ShouldBe([(filed[1].Id, "pending"), (filed[0].Id, "approved")]);
        var pending = reviews[0]!;
        (ServiceHarness.Text(pending["pipeline"]), ServiceHarness.Text(pending["stage"]), ServiceHarness.Text(pending["partition"]), ServiceHarness.Text(pending["cell"]), ServiceHarness.Text(pending["runId"]))
            .ShouldBe(("test", "Copy", "2020-01-03", "Copy 2020-01-03", second));
        pending["breaches"]!.AsArray().Select(b => ServiceHarness.Text(b)).ShouldHaveSingleItem().ShouldContain("CAIRN9901: the test stage was told to fail");
        ServiceHarness.Text(pending["fingerprint"]).ShouldBe(filed[1].Fingerprint);
        DateTimeOffset.Parse(ServiceHarness.Text(pending["requestedAt"]), CultureInfo.InvariantCulture).ShouldBe(filed[1].RequestedAt);
        ServiceHarness.Text(pending["approve"]).ShouldBe($"./build.sh --target=Approve --pipeline=test --workspace=work --raw=landing --review={filed[1].Id} --reason=\"…\"");
        ServiceHarness.Text(pending["reject"]).ShouldBe($"./build.sh --target=Reject --pipeline=test --workspace=work --raw=landing --review={filed[1].Id} --reason=\"…\"");
        var approved = reviews[1]!;
        (ServiceHarness.Text(approved["decidedBy"]), ServiceHarness.Text(approved["reason"])).ShouldBe(("alice", "a test of the listing"));
        approved["approve"].ShouldBeNull();
        approved["reject"].ShouldBeNull();

        Harness.Get("/api/reviews?pipeline=test").AsArray().Count.ShouldBe(2);
        var (status, problem, _) = Harness.GetText("/api/reviews?pipeline=other");
        status.ShouldBe(400);
        JsonNode.Parse(problem)!["detail"]!.GetValue<string>().ShouldBe("There is no pipeline 'other' here; the service runs test.");
    }

    [Fact]
    public void GET_schedules_has_the_next_fire_time_and_a_schedule_pauses_and_resumes()
    {
        var nightly = Harness.Get("/api/schedules").AsArray().Single()!;
        ServiceHarness.Text(nightly["cron"]).ShouldBe("0 30 2 * * ?");
        var next = DateTimeOffset.Parse(ServiceHarness.Text(nightly["nextFireTime"]), CultureInfo.InvariantCulture);
        TimeZoneInfo.ConvertTime(next, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).TimeOfDay.ShouldBe(new TimeSpan(2, 30, 0));

        var (paused, body, _) = Harness.Post("/api/schedules/nightly/pause");
        paused.ShouldBe(200);
        ((bool)body!["paused"]!).ShouldBeTrue();
        body["nextFireTime"].ShouldBeNull();
        var (resumed, after, _) = Harness.Post("/api/schedules/nightly/resume");
        resumed.ShouldBe(200);
        ((bool)after!["paused"]!).ShouldBeFalse();
        ServiceHarness.Text(after["nextFireTime"]).ShouldBe(ServiceHarness.Text(nightly["nextFireTime"]));

        var (missing, problem, _) = Harness.Post("/api/schedules/weekly/pause");
        missing.ShouldBe(404);
        ServiceHarness.Text(problem!["detail"]).ShouldBe("There is no schedule 'weekly'; the schedules are nightly.");
    }

    [Fact]
    public async Task GET_events_streams_a_run_its_stages_and_cells_as_server_sent_events()
    {
        using var stream = await Harness.Http.GetStreamAsync(new Uri("/api/events", UriKind.Relative));
        using var reader = new StreamReader(stream);
        (await reader.ReadLineAsync()).ShouldBe(": Cairn events");

        var (status, body, _) = Harness.Post("/api/runs", """{"partition": "2020-01-03", "force": true}""");
        status.ShouldBe(202);
        var id = ServiceHarness.Text(body!["id"]);
        var seen = new List<(string Event, JsonNode Data)>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? type = null;
        while (!seen.Any(e => e.Event == "run" && ServiceHarness.Text(e.Data["id"]) == id && ServiceHarness.Text(e.Data["status"]) == "succeeded"))
        {
            var line = await reader.ReadLineAsync(deadline.Token) ?? throw new EndOfStreamException("the event stream ended");
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                seen.Add((type!, JsonNode.Parse(line["data: ".Length..])!));
            }
        }

        var ofRun = seen.Where(e => ServiceHarness.Text(e.Data["id"] ?? e.Data["runId"]) == id).ToList();
        ofRun.Select(e => e.Event == "run" ? "run " + ServiceHarness.Text(e.Data["status"]) : e.Event).Distinct().ShouldBe(["run queued", "run running", "stage", "cell", "run succeeded"]);
        var cell = ofRun.Single(e => e.Event == "cell").Data;
        (ServiceHarness.Text(cell["stage"]), ServiceHarness.Text(cell["partition"]), ServiceHarness.Text(cell["status"])).ShouldBe(("Copy", "2020-01-03", "succeeded"));
    }

    [Fact]
    public void GET_metrics_is_Prometheus_text_with_runs_durations_retries_rows_and_last_success()
    {
        var (status, text, response) = Harness.GetText("/metrics");

        status.ShouldBe(200);
        response.Content.Headers.ContentType!.ToString().ShouldStartWith("text/plain; version=0.0.4");
        var samples = PrometheusText.Parse(text);
        samples.ShouldContain(s => s.Name == "cairn_runs_total" && s.Labels["pipeline"] == "test" && s.Labels["status"] == "succeeded" && s.Value >= 1);
        samples.ShouldContain(s => s.Name == "cairn_cell_duration_seconds_count" && s.Labels["stage"] == "Copy" && s.Value >= 3);
        samples.ShouldContain(s => s.Name == "cairn_cell_retries_total" && s.Labels["stage"] == "Copy");
        samples.ShouldContain(s => s.Name == "cairn_rows_processed_total" && s.Labels["stage"] == "Copy");
        samples.ShouldContain(s => s.Name == "cairn_run_retries_total" && s.Labels["pipeline"] == "test");
        samples.ShouldContain(s => s.Name == "cairn_schedule_next_fire_timestamp_seconds" && s.Labels["schedule"] == "nightly" && s.Value > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var lastSuccess = samples.Single(s => s.Name == "cairn_last_success_timestamp_seconds");
        lastSuccess.Value.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds());

        // A histogram's buckets only grow, and the +Inf bucket is the count.
        var buckets = samples.Where(s => s.Name == "cairn_cell_duration_seconds_bucket" && s.Labels["stage"] == "Copy").ToList();
        buckets.Select(b => b.Value).ShouldBe(buckets.Select(b => b.Value).Order());
        buckets[^1].Labels["le"].ShouldBe("+Inf");
        buckets[^1].Value.ShouldBe(samples.Single(s => s.Name == "cairn_cell_duration_seconds_count" && s.Labels["stage"] == "Copy").Value);
    }

    [Fact]
    public void The_OpenAPI_document_describes_every_endpoint_the_service_answers()
    {
        var document = Harness.Get("/openapi.json");

        ServiceHarness.Text(document["openapi"]).ShouldBe("3.0.3");
        var paths = document["paths"]!.AsObject();
        paths.Select(p => p.Key).Order().ShouldBe(ApiRoutes.All.Select(r => r.Path).Distinct().Order());
        foreach (var route in ApiRoutes.All)
        {
            paths[route.Path]![route.Method.ToLowerInvariant()].ShouldNotBeNull($"{route.Method} {route.Path}");
            if (route.Method == "GET" && !route.Path.Contains('{', StringComparison.Ordinal) && route.Path != "/api/events")
            {
                Harness.GetText(route.Path).Status.ShouldNotBe(404, $"GET {route.Path} is in the document; the service must answer it");
            }
        }

        var (status, problem, _) = Harness.GetText("/api/nothing-here");
        status.ShouldBe(404);
        JsonNode.Parse(problem)!["detail"]!.GetValue<string>().ShouldBe("GET /api/nothing-here is not an endpoint; GET /openapi.json lists them.");
    }

    /// <summary>A run of one day that fails with CAIRN9901 there, which the gate stops for a review; the run's id.</summary>
    private string RunStoppedAtTheGate(string day)
    {
        var (status, body, _) = Harness.Post("/api/runs", $$"""{"partition": "{{day}}", "set": ["Copy.FailOn={{day}}"]}""");
        status.ShouldBe(202, body?.ToJsonString());
        var id = ServiceHarness.Text(body!["id"]);
        var run = Harness.WaitForEnd(id)["run"]!;
        ServiceHarness.Text(run["status"]).ShouldBe("failed", run.ToJsonString());
        Harness.GetText($"/api/runs/{id}/log").Body.ShouldContain("stopped at the gate: review r-");
        return id;
    }

    /// <summary>
    /// Runs an Approve or Reject command line in-process as Cairn.cake does (the pipeline chosen by <c>--pipeline</c>,
    /// relative paths from the caller's directory, the repository's root), with the reason given and <c>--by=alice</c>.
    /// </summary>
    /// <returns>What the session printed.</returns>
    private string DecideFromTheRepository(string commandLine, string reason)
    {
        var words = commandLine.Split(' ');
        words[0].ShouldBe("./build.sh");
        words.Skip(1).ShouldAllBe(w => w.StartsWith("--", StringComparison.Ordinal) && w.Contains('=', StringComparison.Ordinal));
        var arguments = words.Skip(1).Select(w => w[2..].Split('=', 2))
            .ToDictionary(p => p[0], p => (IReadOnlyList<string>)[p[1].Trim('"')], StringComparer.Ordinal);
        var target = arguments["target"][0];
        arguments.Remove("target");
        arguments["reason"] = [reason];
        arguments["by"] = ["alice"];
        var host = new HostEnvironment(name => name == CairnSession.CallerDirectoryVariable ? Harness.Root : Environment.GetEnvironmentVariable(name), false, TimeProvider.System);
        var pipeline = CairnPipeline.Select(Harness.Root, arguments, host);
        using var output = new StringWriter();
        using (var session = CairnSession.Open(Harness.Root, pipeline.File, target, arguments, new Dictionary<string, IReadOnlyList<string>> { ["Copy"] = [], [target] = [] }, output, [], host))
        {
            if (target == "Approve")
            {
                session.Approve();
            }
            else
            {
                session.Reject();
            }

            session.Finish(null).ShouldBe(0, output.ToString());
        }

        return output.ToString();
    }

    /// <summary>A strict reader of Prometheus's text format 0.0.4: comments, then samples of declared families.</summary>
    internal static partial class PrometheusText
    {
        public static List<(string Name, Dictionary<string, string> Labels, double Value)> Parse(string text)
        {
            var types = new Dictionary<string, string>(StringComparer.Ordinal);
            var samples = new List<(string, Dictionary<string, string>, double)>();
            foreach (var line in text.Split('\n').Where(l => l.Length > 0))
            {
                if (line.StartsWith('#'))
                {
                    var comment = Comment().Match(line);
                    comment.Success.ShouldBeTrue($"comment line: {line}");
                    if (comment.Groups["kind"].Value == "TYPE")
                    {
                        comment.Groups["rest"].Value.ShouldBeOneOf("counter", "gauge", "histogram", "summary", "untyped");
                        types[comment.Groups["name"].Value] = comment.Groups["rest"].Value;
                    }

                    continue;
                }

                var sample = Sample().Match(line);
                sample.Success.ShouldBeTrue($"sample line: {line}");
                var name = sample.Groups["name"].Value;
                var family = Regex.Replace(name, "_(bucket|sum|count)$", string.Empty);
                (types.ContainsKey(name) || types.ContainsKey(family)).ShouldBeTrue($"{name} has no # TYPE before it");
                var labels = Label().Matches(sample.Groups["labels"].Value).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value, StringComparer.Ordinal);
                var value = sample.Groups["value"].Value == "+Inf" ? double.PositiveInfinity : double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture);
                samples.Add((name, labels, value));
            }

            return samples;
        }

        [GeneratedRegex(@"^# (?<kind>HELP|TYPE) (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<rest>.+)$")]
        private static partial Regex Comment();

        [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>([a-zA-Z_][a-zA-Z0-9_]*=""([^""\\]|\\.)*"",?)*)\})? (?<value>[-+]?(\d+(\.\d+)?([eE][-+]?\d+)?|Inf|NaN))$")]
        private static partial Regex Sample();

        [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>([^""\\]|\\.)*)""")]
        private static partial Regex Label();
    }
}
