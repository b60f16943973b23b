using System.Text.Json;

namespace Cairn.Tests.Notifications;

public sealed class WebhookNotifierTests
{
    [Fact]
    public void A_run_posts_run_started_and_run_succeeded_as_json_to_the_webhook()
    {
        using var receiver = new LoopbackReceiver();
        using var h = NotifyingPipelines.TwoStages(NotifyingPipelines.Webhook(receiver.Url), "2013-05-01", "2013-05-02");

        var run = h.Run().ShouldSucceed();

        var requests = receiver.Requests;
        requests.Select(r => r.Headers["X-Cairn-Event"]).ShouldBe(["run_started", "run_succeeded"]);
        requests.ShouldAllBe(r => r.Method == "POST" && r.Path == "/hooks/cairn-secret-token");
        requests.ShouldAllBe(r => r.Headers["Content-Type"].StartsWith("application/json", StringComparison.Ordinal));
        var started = JsonDocument.Parse(requests[0].Body).RootElement;
        var finished = JsonDocument.Parse(requests[1].Body).RootElement;
        started.GetProperty("event").GetString().ShouldBe("run_started");
        started.GetProperty("status").GetString().ShouldBe("running");
        started.GetProperty("pipeline").GetString().ShouldBe("test");
        started.GetProperty("environment").GetString().ShouldBe("local");
        started.GetProperty("target").GetString().ShouldBe("Concat");
        started.TryGetProperty("finished_at", out _).ShouldBeFalse("a value that does not apply is left out");
        var runId = started.GetProperty("run_id").GetString()!;
        run.Output.ShouldContain($"Cairn run {runId} ");
        finished.GetProperty("event").GetString().ShouldBe("run_succeeded");
        finished.GetProperty("status").GetString().ShouldBe("succeeded");
        finished.GetProperty("run_id").GetString().ShouldBe(runId);
        finished.GetProperty("started_at").GetDateTimeOffset().ShouldBe(started.GetProperty("started_at").GetDateTimeOffset());
        finished.GetProperty("finished_at").GetDateTimeOffset().ShouldBeGreaterThanOrEqualTo(finished.GetProperty("started_at").GetDateTimeOffset());
        finished.TryGetProperty("cause", out _).ShouldBeFalse();
        var stages = finished.GetProperty("stages").EnumerateArray().ToList();
        stages.Select(s => s.GetProperty("stage").GetString()).ShouldBe(["Upper", "Concat"]);
        stages[0].GetProperty("cells").GetInt32().ShouldBe(2);
        stages[0].GetProperty("ran").GetInt32().ShouldBe(2);
        run.Output.ShouldNotContain("warning");
    }

    [Fact]
    public void A_failing_cell_posts_stage_failed_naming_stage_partition_and_cause_then_run_failed()
    {
        using var receiver = new LoopbackReceiver();
        using var h = NotifyingPipelines.FailingStage(NotifyingPipelines.Webhook(receiver.Url, "events: [stage_failed, run_failed]"));

        h.Run().Succeeded.ShouldBeFalse();

        var bodies = receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        bodies.Select(b => b.GetProperty("event").GetString()).ShouldBe(["stage_failed", "run_failed"]);
        foreach (var body in bodies)
        {
            body.GetProperty("status").GetString().ShouldBe("failed");
            body.GetProperty("stage").GetString().ShouldBe("Faulty");
            body.GetProperty("partition").GetString().ShouldBe(NotifyingPipelines.FailingDay);
        }

        bodies[0].GetProperty("cause").GetString().ShouldBe("CAIRN9901: the test stage was told to fail");
        bodies[1].GetProperty("cause").GetString().ShouldBe("Stage 'Faulty' failed for date=2013-05-02: CAIRN9901: the test stage was told to fail (log: logs/date=2013-05-02/Faulty.log)");
    }

    [Fact]
    public void A_500_answer_is_tried_again_and_the_event_is_delivered_without_a_warning()
    {
        using var receiver = new LoopbackReceiver(answers: [500]);
        using var h = NotifyingPipelines.TwoStages(NotifyingPipelines.Webhook(receiver.Url, "events: [run_succeeded]"), "2013-05-01");

        var run = h.Run().ShouldSucceed();

        receiver.Requests.Count.ShouldBe(2);
        receiver.Requests[1].Body.ShouldBe(receiver.Requests[0].Body);
        run.Output.ShouldNotContain("warning");
    }

    [Fact]
    public void A_404_answer_is_not_tried_again_and_is_a_warning()
    {
        using var receiver = new LoopbackReceiver(answers: [404]);
        using var h = NotifyingPipelines.TwoStages(NotifyingPipelines.Webhook(receiver.Url, "events: [run_succeeded]"), "2013-05-01");

        var run = h.Run().ShouldSucceed();

        receiver.Requests.Count.ShouldBe(1);
        run.Output.ShouldContain("warning: WebhookNotifier failed: run_succeeded was not delivered to the webhook");
        run.Output.ShouldContain("1 attempt in ");
        run.Output.ShouldContain("last: the receiver answered 404 Planned");
    }

    [Fact]
    public void A_dead_webhook_is_a_warning_after_its_attempts_and_the_run_still_succeeds()
    {
        var dead = NotifyingPipelines.Webhook(LoopbackReceiver.DeadUrl(), "events: [run_started, run_succeeded]", "attempts: 3", "timeout_seconds: 3");
        using var h = NotifyingPipelines.TwoStages(dead, "2013-05-01");

        var run = h.Run().ShouldSucceed();

        var warnings = run.Lines.Where(l => l.StartsWith("warning: WebhookNotifier failed: ", StringComparison.Ordinal)).ToList();
        warnings.Count.ShouldBe(2, run.Output);
        warnings[0].ShouldStartWith($"warning: WebhookNotifier failed: run_started was not delivered to the webhook http://127.0.0.1:{new Uri(dead.Split('"')[1]).Port}/… (");
        warnings[0].ShouldContain(": 3 attempts in ");
        warnings[0].ShouldContain("(budget 3 s); last: Connection refused");
        warnings[0].ShouldEndWith("The run is not affected; check that the receiver is up and the URL under notify: in " + h.Env.PathOf("pipeline/pipeline.yaml") + ".");
        warnings[1].ShouldContain("run_succeeded was not delivered");
        run.Output.ShouldNotContain("/hooks/nobody", Case.Sensitive, "the path of a webhook URL is often its secret");
        File.ReadAllText(h.WorkspaceFile("data/all.txt")).ShouldBe("ROW OF 2013-05-01!\n");
    }

    [Fact]
    public void A_receiver_that_never_answers_is_given_up_on_when_the_budget_is_spent()
    {
        using var receiver = new LoopbackReceiver(hang: true);
        using var h = NotifyingPipelines.TwoStages(NotifyingPipelines.Webhook(receiver.Url, "events: [run_succeeded]", "attempts: 2", "timeout_seconds: 1"), "2013-05-01");

        var run = h.Run().ShouldSucceed();

        // Were the deadline ignored, the receiver would hang up after 30 s and the warning would name that instead.
        var warning = run.Lines.Single(l => l.StartsWith("warning: WebhookNotifier failed: ", StringComparison.Ordinal));
        // Two attempts of 0.5 s each fit the budget on a quiet machine; on a loaded one the first attempt and its pause
        // can use it up, and the notifier rightly stops after one.
        warning.ShouldMatch(@": (1 attempt|2 attempts) in \d+\.\d s \(budget 1 s\); last: no answer within 0\.\d+ s\. ");
    }

    [Fact]
    public void Failed_cells_do_not_wait_for_their_deliveries_and_the_run_waits_for_the_queue_at_most_one_budget()
    {
        using var receiver = new LoopbackReceiver(hang: true);
        var days = Enumerable.Range(1, 8).Select(d => $"2013-05-{d:00}").ToList();
        using var h = new Engine.EngineHarness(
            Engine.PipelineYaml.Faulty("error", failOn: "none", name: "failing").Then(NotifyingPipelines.Webhook(receiver.Url, "events: [stage_failed, run_failed]", "attempts: 1", "timeout_seconds: 1")),
            ("Faulty", []));
        foreach (var day in days)
        {
            h.WriteRaw(day, "FAIL on purpose\n");
        }

        var run = h.Run("--keep-going");
        var received = receiver.Requests.Count;

        run.ExitCode.ShouldBe(1);
        run.Output.ShouldContain("  Faulty  8 cells  0 ran  0 skipped  8 failed");
        // Delivered one after another, each given its 1 s: had every failed cell waited for its own, all nine would be in.
        received.ShouldBeLessThan(9, "the run ended without waiting for each failed cell's delivery");
        var dropped = run.Lines.Single(l => l.StartsWith("warning: NotificationQueue failed: ", StringComparison.Ordinal));
        dropped.ShouldContain("stage_failed to WebhookNotifier (");
        dropped.ShouldContain("not delivered when the run ended, and are dropped");
        dropped.ShouldContain("A run waits at most one delivery's budget (1 s) for its notifications");
    }

    [Fact]
    public void Only_the_events_a_webhook_asks_for_are_sent()
    {
        using var receiver = new LoopbackReceiver();
        using var h = NotifyingPipelines.TwoStages(NotifyingPipelines.Webhook(receiver.Url, "events: [run_failed, stage_failed]"), "2013-05-01");

        h.Run().ShouldSucceed();

        receiver.Requests.ShouldBeEmpty();
    }

    [Fact]
    public void A_webhook_url_is_read_from_the_environment_variable_it_names_and_is_off_when_that_is_unset()
    {
        using var receiver = new LoopbackReceiver();
        using var h = NotifyingPipelines.TwoStages("notify:\n  - webhook: \"${CAIRN_TEST_HOOK}\"\n    events: [run_succeeded]\n", "2013-05-01");

        var unset = h.Run().ShouldSucceed();
        h.Variables["CAIRN_TEST_HOOK"] = receiver.Url.ToString();
        h.Run("--force").ShouldSucceed();

        unset.Output.ShouldNotContain("warning");
        receiver.Requests.Count.ShouldBe(1);
    }
}
