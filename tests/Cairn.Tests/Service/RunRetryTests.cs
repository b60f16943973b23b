using System.Text.Json.Nodes;
using Cairn.Tests.Notifications;

namespace Cairn.Tests.Service;

/// <summary>A scheduled run that fails is retried as a whole; when the last attempt fails, run_failed_permanently goes to the notifiers.</summary>
public sealed class RunRetryTests
{
    [Fact]
    public void A_run_that_fails_once_succeeds_on_its_retry_and_both_attempts_are_recorded_with_their_trigger()
    {
        using var harness = new ServiceHarness();
        harness.WriteDay("2020-01-01");
        harness.WritePipeline(ServiceHarness.CopyPipeline(fault: "transient", parameters: "Failures=1", extra: """
            schedules:
              - name: flaky
                arrival: { quiet_period: 1s, rescan: 1s }
                retry: { attempts: 3, delay: 1s, max_delay: 5s }
            """));
        var service = harness.Start();
        service.WaitForLine("watching 1 file(s) for arrivals");

        harness.WriteDay("2020-01-05");

        var first = harness.WaitForRun(r => ServiceHarness.Text(r["trigger"]) == "schedule:flaky" && (int?)r["attempt"] == 1 && ServiceHarness.Text(r["status"]) == "failed", what: "the first attempt, failed");
        var firstId = ServiceHarness.Text(first["id"]);
        var retry = harness.WaitForRun(r => ServiceHarness.Text(r["firstId"]) == firstId && (int?)r["attempt"] == 2, what: "the retry");
        var retryId = ServiceHarness.Text(retry["id"]);
        ServiceHarness.Text(harness.WaitForEnd(retryId)["run"]!["status"]).ShouldBe("succeeded");

        service.Output.ShouldContain($"run {firstId} of test failed (attempt 1/3); retrying in 1 s as run {retryId}");
        ServiceHarness.Text(harness.Get($"/api/runs/{firstId}")["run"]!["retriedBy"]).ShouldBe(retryId);
        var attempts = harness.Get($"/api/runs/{retryId}")["attempts"]!.AsArray();
        attempts.Select(a => (ServiceHarness.Text(a!["id"]), (int)a["attempt"]!, ServiceHarness.Text(a["status"]))).ShouldBe([(firstId, 1, "failed"), (retryId, 2, "succeeded")]);
        var recorded = Observability.Sql.Query(Path.Combine(harness.Workspace, ".cairn", "runs.db"), "SELECT run_id, status, triggered_by FROM pipeline_run_log ORDER BY started_at");
        recorded.Select(r => ((string)r["run_id"]!, (string)r["status"]!, (string)r["triggered_by"]!)).ShouldBe([(firstId, "failed", "schedule:flaky"), (retryId, "succeeded", "schedule:flaky")]);
        service.Stop().ShouldBe(0);
    }

    [Fact]
    public void When_the_last_attempt_fails_run_failed_permanently_goes_to_the_webhook()
    {
        using var receiver = new LoopbackReceiver();
        using var harness = new ServiceHarness();
        harness.WriteDay("2020-01-01");
        harness.WritePipeline(ServiceHarness.CopyPipeline(fault: "error", parameters: "FailOn=2020-01-05", extra: $$"""
            schedules:
              - name: doomed
                arrival: { quiet_period: 1s, rescan: 1s }
                retry: { attempts: 2, delay: 1s }
            notify:
              - webhook: "{{receiver.Url}}"
                events: [run_failed_permanently]
            """));
        var service = harness.Start();
        service.WaitForLine("watching 1 file(s) for arrivals");

        harness.WriteDay("2020-01-05");

        var last = harness.WaitForRun(r => ServiceHarness.Text(r["trigger"]) == "schedule:doomed" && (int?)r["attempt"] == 2 && ServiceHarness.Text(r["status"]) == "failed", what: "the last attempt, failed");
        service.WaitForLine("failed for good after 2 attempt(s)");
        var notice = WaitForRequest(receiver);
        notice.Headers["X-Cairn-Event"].ShouldBe("run_failed_permanently");
        var body = JsonNode.Parse(notice.Body)!;
        ServiceHarness.Text(body["event"]).ShouldBe("run_failed_permanently");
        ServiceHarness.Text(body["run_id"]).ShouldBe(ServiceHarness.Text(last["id"]));
        ServiceHarness.Text(body["pipeline"]).ShouldBe("test");
        ServiceHarness.Text(body["status"]).ShouldBe("failed");
        ServiceHarness.Text(body["trigger"]).ShouldBe("schedule:doomed");
        ((int)body["attempts"]!).ShouldBe(2);
        ServiceHarness.Text(body["cause"]).ShouldContain("CAIRN9901");
        receiver.Requests.Count.ShouldBe(1, "only the permanent failure was asked for");

        var metrics = harness.GetText("/metrics").Body;
        metrics.ShouldContain("cairn_run_retries_total{pipeline=\"test\"} 1");
        service.Stop().ShouldBe(0);
    }

    private static ReceivedRequest WaitForRequest(LoopbackReceiver receiver)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (receiver.Requests.Count == 0)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("The webhook got nothing in 60 s.");
            }

            Thread.Sleep(100);
        }

        return receiver.Requests[0];
    }
}
