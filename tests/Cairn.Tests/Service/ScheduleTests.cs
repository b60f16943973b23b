using System.Globalization;
using System.Text.RegularExpressions;
using Cairn.Tests.Observability;
using Quartz;

namespace Cairn.Tests.Service;

/// <summary>Cron schedules through the real service: a fire runs the pipeline, a SIGKILL loses nothing, SIGTERM cancels and records, an edited schedule is picked up.</summary>
public sealed partial class ScheduleTests
{
    [Fact]
    public void A_schedule_firing_every_two_seconds_runs_the_pipeline_and_records_the_trigger()
    {
        using var harness = new ServiceHarness();
        harness.WriteDay("2020-01-01");
        harness.WriteDay("2020-01-02");
        harness.WritePipeline(ServiceHarness.CopyPipeline(extra: """
            schedules:
              - name: tick
                cron: "*/2 * * * * ?"
            """));
        harness.Start();

        var run = harness.WaitForRun(r => ServiceHarness.Text(r["trigger"]) == "schedule:tick" && ServiceHarness.Text(r["status"]) == "succeeded", what: "of schedule:tick that succeeded");
        var id = ServiceHarness.Text(run["id"]);
        ((int)run["cells"]!).ShouldBe(2);
        ServiceHarness.Text(run["triggeredBy"]).ShouldBe("schedule:tick");

        // The run log itself says what started the run, for History and anyone with sqlite3.
        Sql.Query(Path.Combine(harness.Workspace, ".cairn", "runs.db"), $"SELECT triggered_by FROM pipeline_run_log WHERE run_id = '{id}'").Single()["triggered_by"].ShouldBe("schedule:tick");
        File.Exists(Path.Combine(harness.Workspace, "data/out/date=2020-01-02/out.txt")).ShouldBeTrue();
        harness.Service!.Output.ShouldContain("schedule test/tick: added (cron '*/2 * * * * ?' UTC; target (default); partitions all; catch_up 0; retry 1 x 0 ms..0 ms)");

        var schedule = harness.Get("/api/schedules").AsArray().Single()!;
        ServiceHarness.Text(schedule["name"]).ShouldBe("tick");
        DateTimeOffset.Parse(ServiceHarness.Text(schedule["nextFireTime"]), CultureInfo.InvariantCulture).ShouldBeGreaterThan(DateTimeOffset.Parse(ServiceHarness.Text(run["startedAt"]), CultureInfo.InvariantCulture).AddSeconds(-2));
        harness.Service.Stop().ShouldBe(0);
    }

    [Fact]
    public void After_a_SIGKILL_mid_run_the_crashed_run_is_recorded_and_run_again_and_the_missed_fires_are_caught_up()
    {
        using var harness = new ServiceHarness();
        harness.WriteDay("2020-01-01");
        var schedules = """
            schedules:
              - name: every3
                cron: "*/3 * * * * ?"
                catch_up: 2
            """;
        harness.WritePipeline(ServiceHarness.CopyPipeline(fault: "slow", parameters: "Seconds=120", extra: schedules));
        var first = harness.Start();
        var started = first.WaitForLine(StartsPattern());
        var crashedId = StartsPattern().Match(started).Groups["run"].Value;
        first.WaitForLine("Copy date=2020-01-01: run, first run");

        // A request waiting behind the running run (its token keeps it from merging with the schedule's fires).
        var (status, body, _) = harness.Post("/api/runs", """{"token": "queued-before-the-kill"}""");
        status.ShouldBe(202, body?.ToJsonString());
        var queuedId = ServiceHarness.Text(body!["id"]);
        ServiceHarness.Text(body["status"]).ShouldBe("queued");
        first.KillHard();
        var killedAt = DateTimeOffset.UtcNow;

        // Down long enough for several fires; the stage is quick from now on (a parameter changed: it re-runs anyway).
        harness.WritePipeline(ServiceHarness.CopyPipeline(fault: "none", extra: schedules));
        Thread.Sleep(TimeSpan.FromSeconds(7));
        var restartedAt = DateTimeOffset.UtcNow;
        var second = harness.Start();

        second.WaitForLine($"run {crashedId} of test (schedule:every3) was running when the service stopped; recorded as crashed");
        var catchUp = CatchUpPattern().Match(second.WaitForLine(CatchUpPattern()));
        var missed = int.Parse(catchUp.Groups["missed"].Value, CultureInfo.InvariantCulture);
        var firstMissed = DateTimeOffset.Parse(catchUp.Groups["first"].Value, CultureInfo.InvariantCulture);
        var lastMissed = DateTimeOffset.Parse(catchUp.Groups["last"].Value, CultureInfo.InvariantCulture);

        // The count agrees with the schedule: every third second from the first missed fire to now, none twice.
        var expected = new List<DateTimeOffset>();
        var cron = new CronExpression("*/3 * * * * ?");
        var second0 = DateTimeOffset.Parse(catchUp.Groups["from"].Value, CultureInfo.InvariantCulture);
        for (DateTimeOffset? fire = second0; fire is { } at && at <= lastMissed; fire = cron.GetNextValidTimeAfter(at))
        {
            expected.Add(at);
        }

        missed.ShouldBe(expected.Count, $"missed fires from {second0:O} to {lastMissed:O}");
        DateTimeOffset.Parse(catchUp.Groups["to"].Value, CultureInfo.InvariantCulture).ShouldBe(lastMissed, "the latest missed fire is caught up");
        missed.ShouldBeGreaterThanOrEqualTo(2, $"the service was down from {killedAt:O} to {restartedAt:O}");
        second0.ShouldBeLessThanOrEqualTo(killedAt.AddSeconds(3));
        lastMissed.ShouldBeLessThanOrEqualTo(DateTimeOffset.UtcNow);
        int.Parse(catchUp.Groups["take"].Value, CultureInfo.InvariantCulture).ShouldBe(2);
        (lastMissed - firstMissed).ShouldBe(TimeSpan.FromSeconds(3), "the two latest missed fires are caught up");

        // The crashed run reads as crashed; its partitions ran again in a run of their own, and the catch-up ran.
        ServiceHarness.Text(harness.Get($"/api/runs/{crashedId}")["run"]!["status"]).ShouldBe("crashed");
        var again = harness.WaitForRun(r => ServiceHarness.Text(r["detail"]).Contains($"again after run {crashedId} crashed", StringComparison.Ordinal), what: "re-running the crashed one");
        ServiceHarness.Text(harness.WaitForEnd(ServiceHarness.Text(again["id"]))["run"]!["status"]).ShouldBe("succeeded");
        var caughtUp = harness.WaitForRun(r => ServiceHarness.Text(r["detail"]).StartsWith("catch-up of 2 missed fire(s)", StringComparison.Ordinal), what: "catching up");
        ServiceHarness.Text(harness.WaitForEnd(ServiceHarness.Text(caughtUp["id"]))["run"]!["status"]).ShouldBe("succeeded");
        ServiceHarness.Text(harness.WaitForEnd(queuedId)["run"]!["status"]).ShouldBe("succeeded", "a run queued when the service was killed is still queued at its next start");
        File.Exists(Path.Combine(harness.Workspace, "data/out/date=2020-01-01/out.txt")).ShouldBeTrue();
        second.Stop().ShouldBe(0);
    }

    [Fact]
    public void SIGTERM_cancels_the_running_run_records_it_and_queues_it_for_the_next_start()
    {
        using var harness = new ServiceHarness();
        harness.WriteDay("2020-01-01");
        harness.WritePipeline(ServiceHarness.CopyPipeline(fault: "slow", parameters: "Seconds=120"));
        var service = harness.Start();
        var (status, body, _) = harness.Post("/api/runs", "{}");
        status.ShouldBe(202);
        var id = ServiceHarness.Text(body!["id"]);
        service.WaitForLine("Copy date=2020-01-01: run, first run");

        service.Stop().ShouldBe(0);

        service.Output.ShouldContain($"run {id} of test cancelled");
        service.Output.ShouldContain($"run {id} was stopped with the service; queued again as run");
        Sql.Query(Path.Combine(harness.Workspace, ".cairn", "runs.db"), $"SELECT status FROM pipeline_run_log WHERE run_id = '{id}'").Single()["status"].ShouldBe("cancelled");
        Directory.Exists(Path.Combine(harness.Workspace, "data/out/date=2020-01-01")).ShouldBeFalse("a cancelled cell leaves no output");
    }

    [Fact]
    public void An_edited_schedule_is_picked_up_on_SIGHUP_and_on_reload_with_a_line_saying_what_changed()
    {
        using var harness = new ServiceHarness();
        harness.WriteDay("2020-01-01");
        harness.WritePipeline(ServiceHarness.CopyPipeline(extra: """
            schedules:
              - name: nightly
                cron: "0 30 2 * * ?"
                time_zone: Europe/Paris
            """));
        var service = harness.Start();
        harness.WritePipeline(ServiceHarness.CopyPipeline(extra: """
            schedules:
              - name: nightly
                cron: "0 0 3 * * ?"
                time_zone: Europe/Paris
              - name: hourly
                cron: "15 * * * *"
            """));

        service.Signal("HUP");

        service.WaitForLine("schedule test/nightly: changed from (cron '0 30 2 * * ?' Europe/Paris; target (default); partitions all; catch_up 0; retry 1 x 0 ms..0 ms) to (cron '0 0 3 * * ?' Europe/Paris;");
        service.WaitForLine("schedule test/hourly: added (cron '15 * * * *' UTC;");
        var hourly = harness.Get("/api/schedules").AsArray().Single(s => ServiceHarness.Text(s!["name"]) == "hourly")!;
        ServiceHarness.Text(hourly["cron"]).ShouldBe("0 15 * * * ?", "crontab's five fields, read as Quartz's");
        DateTimeOffset.Parse(ServiceHarness.Text(hourly["nextFireTime"]), CultureInfo.InvariantCulture).Minute.ShouldBe(15);

        harness.WritePipeline(ServiceHarness.CopyPipeline(extra: """
            schedules:
              - name: hourly
                cron: "15 * * * *"
            """));
        var (status, body, _) = harness.Post("/api/schedules/reload");
        status.ShouldBe(200);
        body!["changes"]!.AsArray().Select(c => ServiceHarness.Text(c)).ShouldBe([$"schedule test/nightly: removed (was cron '0 0 3 * * ?' Europe/Paris; target (default); partitions all; catch_up 0; retry 1 x 0 ms..0 ms)"]);
        harness.Get("/api/schedules").AsArray().Select(s => ServiceHarness.Text(s!["name"])).ShouldBe(["hourly"]);
        service.Stop().ShouldBe(0);
    }

    [GeneratedRegex(@"run (?<run>\S+) of test starts \(schedule:every3", RegexOptions.CultureInvariant)]
    private static partial Regex StartsPattern();

    [GeneratedRegex(@"schedule test/every3 missed (?<missed>\d+) fire\(s\) from (?<from>\S+ \S+) to (?<to>\S+ \S+) while the service was down; catching up (?<take>\d+) \((?<first>\S+ \S+) to (?<last>\S+ \S+)\) as one run", RegexOptions.CultureInvariant)]
    private static partial Regex CatchUpPattern();
}
