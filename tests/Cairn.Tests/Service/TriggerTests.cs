namespace Cairn.Tests.Service;

/// <summary>Runs started by data arriving in the landing zone and by another pipeline's run, through the real service.</summary>
public sealed class TriggerTests
{
    [Fact]
    public void A_new_raw_partition_file_runs_just_that_partition_and_a_burst_of_files_is_one_run()
    {
        using var harness = new ServiceHarness();
        harness.WriteDay("2020-01-01");
        harness.WriteDay("2020-01-02");
        harness.WritePipeline(ServiceHarness.CopyPipeline(extra: """
            schedules:
              - name: arrivals
                arrival: { quiet_period: 2s, rescan: 1s }
            """));
        var service = harness.Start();
        service.WaitForLine("landing zone " + harness.Raw + " of test: watching 2 file(s) for arrivals");

        harness.WriteDay("2020-01-05");

        var single = harness.WaitForRun(r => ServiceHarness.Text(r["trigger"]) == "schedule:arrivals", what: "started by the new file");
        ServiceHarness.Text(single["partitions"]).ShouldBe("2020-01-05");
        var found = harness.WaitForEnd(ServiceHarness.Text(single["id"]));
        ServiceHarness.Text(found["run"]!["status"]).ShouldBe("succeeded");
        found["cells"]!.AsArray().Select(c => ServiceHarness.Text(c!["partition"])).ShouldBe(["2020-01-05"]);
        File.Exists(Path.Combine(harness.Workspace, "data/out/date=2020-01-01/out.txt")).ShouldBeFalse("only the partition that arrived runs");

        // The burst: 1,000 files over three days, written as fast as the disk takes them, are one run once the
        // landing zone is quiet.
        for (var i = 0; i < 1000; i++)
        {
            harness.WriteDay($"2020-02-0{1 + (i % 3)}", $"a,b\n{i},x\n", file: i < 3 ? "part.csv" : $"part-{i:D4}.csv");
        }

        var burst = harness.WaitForRun(r => ServiceHarness.Text(r["trigger"]) == "schedule:arrivals" && ServiceHarness.Text(r["id"]) != ServiceHarness.Text(single["id"]), what: "started by the burst");
        ServiceHarness.Text(burst["partitions"]).ShouldBe("2020-02-01 to 2020-02-03");
        ServiceHarness.Text(burst["detail"]).ShouldStartWith("1,000 new or changed file(s) in 2020-02-01, 2020-02-02, 2020-02-03");
        ServiceHarness.Text(harness.WaitForEnd(ServiceHarness.Text(burst["id"]))["run"]!["status"]).ShouldBe("succeeded");
        service.WaitForLine("1,000 new or changed file(s) in 3 partition(s)");
        harness.Get("/api/runs?limit=100").AsArray().Count(r => ServiceHarness.Text(r!["trigger"]) == "schedule:arrivals").ShouldBe(2);
        service.Stop().ShouldBe(0);
    }

    [Fact]
    public void A_deleted_landing_zone_is_logged_and_watching_resumes_when_it_comes_back()
    {
        using var harness = new ServiceHarness();
        harness.WriteDay("2020-01-01");
        harness.WritePipeline(ServiceHarness.CopyPipeline(extra: """
            schedules:
              - name: arrivals
                arrival: { quiet_period: 1s, rescan: 1s }
            """));
        var service = harness.Start();
        service.WaitForLine("watching 1 file(s) for arrivals");

        Directory.Delete(harness.Raw, recursive: true);
        service.WaitForLine($"landing zone {harness.Raw} of test does not exist (deleted, or not made yet); watching resumes when it comes back");
        harness.WriteDay("2020-03-01");
        service.WaitForLine($"landing zone {harness.Raw} of test is back; watching again");

        var run = harness.WaitForRun(r => ServiceHarness.Text(r["trigger"]) == "schedule:arrivals", what: "started by the file in the returned landing zone");
        ServiceHarness.Text(run["partitions"]).ShouldBe("2020-03-01");
        ServiceHarness.Text(harness.WaitForEnd(ServiceHarness.Text(run["id"]))["run"]!["status"]).ShouldBe("succeeded");
        service.Stop().ShouldBe(0);
    }

    [Fact]
    public void A_pipeline_with_an_after_schedule_runs_when_the_other_one_succeeds_for_the_same_partitions()
    {
        using var harness = new ServiceHarness();
        foreach (var pipeline in new[] { "orders", "report" })
        {
            harness.WriteDay("2020-01-01", landing: $"landing/{pipeline}");
            harness.WriteDay("2020-01-02", landing: $"landing/{pipeline}");
        }

        var orders = harness.WritePipeline(ServiceHarness.CopyPipeline("orders"), "pipelines/orders");
        var report = harness.WriteAfter("report", "orders");
        harness.Start([orders, report]);

        var (status, body, _) = harness.Post("/api/runs", """{"pipeline": "orders", "partition": "2020-01-02"}""");
        status.ShouldBe(202, body?.ToJsonString());
        var ordersRun = ServiceHarness.Text(body!["id"]);
        ServiceHarness.Text(harness.WaitForEnd(ordersRun)["run"]!["status"]).ShouldBe("succeeded");

        var after = harness.WaitForRun(r => ServiceHarness.Text(r["pipeline"]) == "report", what: "of report");
        ServiceHarness.Text(after["trigger"]).ShouldBe("schedule:after_orders");
        ServiceHarness.Text(after["detail"]).ShouldBe($"after orders run {ordersRun} succeeded");
        ServiceHarness.Text(after["partitions"]).ShouldBe("2020-01-02");
        ServiceHarness.Text(harness.WaitForEnd(ServiceHarness.Text(after["id"]))["run"]!["status"]).ShouldBe("succeeded");
        File.Exists(Path.Combine(harness.Workspace, "report/data/out/date=2020-01-02/out.txt")).ShouldBeTrue();
        File.Exists(Path.Combine(harness.Workspace, "report/data/out/date=2020-01-01/out.txt")).ShouldBeFalse();
        harness.Service!.Stop().ShouldBe(0);
    }
}
