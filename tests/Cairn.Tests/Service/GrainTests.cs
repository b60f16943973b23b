using Cairn.Tests.Engine;

namespace Cairn.Tests.Service;

/// <summary>
/// The service at the pipeline's declared grain, through the real service: an hourly pipeline run over a range of hours
/// through the API and by a changed hour in its landing zone, a key of another grain refused with 400, a daily pipeline
/// run after it for the day of its hours, and a pipeline without partitions run whole. A schedule window finer than the grain is refused at start: <see cref="StartupFaultTests"/>.
/// </summary>
public sealed class GrainTests
{
    private const string HourlyPartitions = "partitions:\n  key: hour\n  grain: hour\n  files: \"*.csv\"\n";

    private static readonly string[] Hours = [.. Enumerable.Range(0, 6).Select(h => $"2024-01-01T{h:00}")];

    [Fact]
    public void An_hourly_pipeline_runs_a_range_of_hours_through_the_API_and_a_day_is_refused_with_400()
    {
        using var harness = Hourly(string.Empty);
        harness.Start();
        var partitions = harness.Get("/api/pipelines").AsArray().Single()!["partitions"]!;
        (ServiceHarness.Text(partitions["key"]), ServiceHarness.Text(partitions["grain"])).ShouldBe(("hour", "hour"));

        var (status, body, _) = harness.Post("/api/runs", """{"from": "2024-01-01T02", "to": "2024-01-01T04"}""");

        status.ShouldBe(202, body?.ToJsonString());
        ServiceHarness.Text(body!["partitions"]).ShouldBe("2024-01-01T02 to 2024-01-01T04");
        var found = harness.WaitForEnd(ServiceHarness.Text(body["id"]));
        ServiceHarness.Text(found["run"]!["status"]).ShouldBe("succeeded", harness.Service!.Output);
        UpperCells(found).ShouldBe(Hours[2..5]);
        File.ReadAllText(Path.Combine(harness.Workspace, "data/all.txt")).ShouldBe(string.Concat(Hours[2..5].Select(hour => $"ROW OF {hour}!\n")));
        Directory.Exists(Path.Combine(harness.Workspace, "data/upper/hour=2024-01-01T05")).ShouldBeFalse("only the hours asked for run");

        var (refused, problem, _) = harness.Post("/api/runs", """{"partition": "2024-01-01"}""");

        refused.ShouldBe(400, problem?.ToJsonString());
        ServiceHarness.Text(problem!["detail"]).ShouldBe("--partition=2024-01-01: '2024-01-01' is a day, but this pipeline's partitions are hours (partitions: grain: hour); write it as YYYY-MM-DDTHH, e.g. 2013-05-03T14.");
        harness.Service.Stop().ShouldBe(0);
    }

    [Fact]
    public void A_changed_hour_in_the_landing_zone_runs_just_that_hour()
    {
        using var harness = Hourly("""
            schedules:
              - name: arrivals
                arrival: { quiet_period: 1s, rescan: 1s }
            """);
        var service = harness.Start();
        service.WaitForLine($"landing zone {harness.Raw} of test: watching {Hours.Length} file(s) for arrivals");

        harness.Env.WriteFile("landing/hour=2024-01-01T03/part.csv", "corrected 3\n");

        var run = harness.WaitForRun(r => ServiceHarness.Text(r["trigger"]) == "schedule:arrivals", what: "started by the changed hour");
        ServiceHarness.Text(run["partitions"]).ShouldBe("2024-01-01T03");
        ServiceHarness.Text(run["detail"]).ShouldBe("1 new or changed file(s) in 2024-01-01T03");
        var found = harness.WaitForEnd(ServiceHarness.Text(run["id"]));
        ServiceHarness.Text(found["run"]!["status"]).ShouldBe("succeeded", service.Output);
        UpperCells(found).ShouldBe(["2024-01-01T03"]);
        File.ReadAllText(Path.Combine(harness.Workspace, "data/upper/hour=2024-01-01T03/upper.txt")).ShouldBe("CORRECTED 3!\n");
        service.Stop().ShouldBe(0);
    }

    [Fact]
    public void A_daily_pipeline_after_an_hourly_one_runs_the_days_of_its_hours()
    {
        using var harness = new ServiceHarness();
        foreach (var hour in Hours)
        {
            harness.Env.WriteFile($"landing/orders/hour={hour}/part.csv", $"row of {hour}\n");
        }

        harness.WriteDay("2024-01-01", landing: "landing/report");
        harness.WriteDay("2024-01-02", landing: "landing/report");
        var orders = harness.WritePipeline(PipelineYaml.TwoStagesBy("hour", "selection", "orders").Then(HourlyPartitions), "pipelines/orders");
        var report = harness.WriteAfter("report", "orders");
        harness.Start([orders, report]);

        var (status, body, _) = harness.Post("/api/runs", """{"pipeline": "orders", "from": "2024-01-01T02", "to": "2024-01-01T04"}""");

        status.ShouldBe(202, body?.ToJsonString());
        ServiceHarness.Text(harness.WaitForEnd(ServiceHarness.Text(body!["id"]))["run"]!["status"]).ShouldBe("succeeded", harness.Service!.Output);
        var after = harness.WaitForRun(r => ServiceHarness.Text(r["pipeline"]) == "report", what: "of report");
        ServiceHarness.Text(after["partitions"]).ShouldBe("2024-01-01");
        ServiceHarness.Text(harness.WaitForEnd(ServiceHarness.Text(after["id"]))["run"]!["status"]).ShouldBe("succeeded", harness.Service.Output);
        File.Exists(Path.Combine(harness.Workspace, "report/data/out/date=2024-01-01/out.txt")).ShouldBeTrue();
        File.Exists(Path.Combine(harness.Workspace, "report/data/out/date=2024-01-02/out.txt")).ShouldBeFalse();
        harness.Service.Stop().ShouldBe(0);
    }

    [Fact]
    public void A_pipeline_without_partitions_refuses_a_partition_with_400_and_an_arrival_runs_it_whole()
    {
        using var harness = new ServiceHarness();
        harness.Env.WriteFile("landing/a.csv", "first\n");
        harness.WritePipeline(PipelineYaml.Unpartitioned().Then("""
            schedules:
              - name: arrivals
                arrival: { quiet_period: 1s, rescan: 1s }
            """));
        var service = harness.Start();
        service.WaitForLine($"landing zone {harness.Raw} of test: watching 1 file(s) for arrivals");

        var (refused, problem, _) = harness.Post("/api/runs", """{"partition": "2024-01-01"}""");
        harness.Env.WriteFile("landing/b.csv", "second\n");

        refused.ShouldBe(400, problem?.ToJsonString());
        ServiceHarness.Text(problem!["detail"]).ShouldBe("--partition=2024-01-01: this pipeline has no partitions (partitions: grain: none): every stage has one cell that reads the whole landing zone; drop --partition.");
        var run = harness.WaitForRun(r => ServiceHarness.Text(r["trigger"]) == "schedule:arrivals", what: "started by the new file");
        ServiceHarness.Text(run["partitions"]).ShouldBe("all partitions");
        ServiceHarness.Text(run["detail"]).ShouldBe("1 new or changed file(s) in the landing zone (no partitions)");
        ServiceHarness.Text(harness.WaitForEnd(ServiceHarness.Text(run["id"]))["run"]!["status"]).ShouldBe("succeeded", service.Output);
        File.ReadAllText(Path.Combine(harness.Workspace, "data/all.txt")).ShouldBe("FIRST!\nSECOND!\n");
        service.Stop().ShouldBe(0);
    }

    /// <summary>A harness with the engine's hourly pipeline (<see cref="PipelineYaml.TwoStagesBy"/>) and six hours landed.</summary>
    private static ServiceHarness Hourly(string schedules)
    {
        var harness = new ServiceHarness();
        foreach (var hour in Hours)
        {
            harness.Env.WriteFile($"landing/hour={hour}/part.csv", $"row of {hour}\n");
        }

        harness.WritePipeline(PipelineYaml.TwoStagesBy("hour", "selection").Then(HourlyPartitions).Then(schedules));
        return harness;
    }

    private static List<string> UpperCells(System.Text.Json.Nodes.JsonNode found) =>
        found["cells"]!.AsArray().Where(c => ServiceHarness.Text(c!["stage"]) == "Upper").Select(c => ServiceHarness.Text(c!["partition"])).Order(StringComparer.Ordinal).ToList();
}
