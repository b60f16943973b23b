using System.Text.Json;

namespace Cairn.Tests.Notifications;

public sealed class CommandNotifierTests
{
    [Fact]
    public void The_command_runs_for_each_event_with_the_event_in_environment_variables()
    {
        using var h = NotifyingPipelines.TwoStages(string.Empty, "2013-05-01");
        var log = h.Env.PathOf("notified.txt");
        h.SetPipeline(Engine.PipelineYaml.TwoStages().Then(NotifyingPipelines.Command(
            $"printf '%s|%s|%s|%s|%s|%s|%s\\n' \"$CAIRN_EVENT\" \"$CAIRN_STATUS\" \"$CAIRN_PIPELINE\" \"$CAIRN_TARGET\" \"$CAIRN_ENVIRONMENT\" \"${{CAIRN_STAGE-unset}}\" \"$(pwd)\" >> {log}")));

        var run = h.Run().ShouldSucceed();

        File.ReadAllLines(log).ShouldBe(
        [
            $"run_started|running|test|Concat|local|unset|{h.Env.PathOf("pipeline")}",
            $"run_succeeded|succeeded|test|Concat|local|unset|{h.Env.PathOf("pipeline")}",
        ]);
        run.Output.ShouldNotContain("warning");
    }

    [Fact]
    public void A_failing_cell_runs_the_command_with_stage_partition_cause_and_the_whole_event_as_json()
    {
        using var h = NotifyingPipelines.FailingStage(string.Empty);
        var folder = h.Env.CreateFolder("notified");
        h.SetPipeline(File.ReadAllText(h.Env.PathOf("pipeline/pipeline.yaml")) + NotifyingPipelines.Command(
            $"printf '%s' \"$CAIRN_EVENT_JSON\" > {folder}/$CAIRN_EVENT.json; printf '%s\\n%s\\n%s\\n%s\\n' \"$CAIRN_STAGE\" \"$CAIRN_PARTITION\" \"$CAIRN_CAUSE\" \"$CAIRN_RUN_ID\" > {folder}/$CAIRN_EVENT.env",
            "events: [stage_failed]"));

        var run = h.Run();

        run.Succeeded.ShouldBeFalse();
        Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["stage_failed.env", "stage_failed.json"]);
        var lines = File.ReadAllLines(Path.Combine(folder, "stage_failed.env"));
        lines[..3].ShouldBe(["Faulty", NotifyingPipelines.FailingDay, "CAIRN9901: the test stage was told to fail"]);
        run.Output.ShouldContain($"Cairn run {lines[3]} ");
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "stage_failed.json"))).RootElement;
        json.GetProperty("event").GetString().ShouldBe("stage_failed");
        json.GetProperty("run_id").GetString().ShouldBe(lines[3]);
        json.GetProperty("partition").GetString().ShouldBe(NotifyingPipelines.FailingDay);
        json.GetProperty("finished_at").GetDateTimeOffset().ShouldBeGreaterThanOrEqualTo(json.GetProperty("started_at").GetDateTimeOffset());
    }

    [Fact]
    public void A_cell_stopped_at_its_gate_sends_review_requested_with_the_review_and_its_breaches_once_per_review()
    {
        using var h = NotifyingPipelines.GatedStage(string.Empty);
        var folder = h.Env.CreateFolder("notified");
        h.SetPipeline(File.ReadAllText(h.Env.PathOf("pipeline/pipeline.yaml")) + NotifyingPipelines.Command(
            $"printf '%s' \"$CAIRN_EVENT_JSON\" > {folder}/$CAIRN_EVENT.json; printf '%s|%s|%s|%s\\n' \"$CAIRN_REVIEW\" \"$CAIRN_STAGE\" \"$CAIRN_PARTITION\" \"$CAIRN_BREACHES\" >> {folder}/$CAIRN_EVENT.log",
            "events: [review_requested]"));

        var first = h.Run();
        var second = h.Run();

        first.Succeeded.ShouldBeFalse();
        second.Succeeded.ShouldBeFalse();
        var id = System.Text.RegularExpressions.Regex.Match(first.Output, "review (r-[0-9a-f]{8}) is pending").Groups[1].Value;
        id.ShouldNotBeEmpty(first.Output);
        Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["review_requested.json", "review_requested.log"]);
        File.ReadAllLines(Path.Combine(folder, "review_requested.log")).ShouldBe(
            [$"{id}|Faulty|{NotifyingPipelines.FailingDay}|CAIRN9901: the test stage was told to fail"],
            "the second run stops at the same pending review: no new review is filed, so no second notification");
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "review_requested.json"))).RootElement;
        json.GetProperty("event").GetString().ShouldBe("review_requested");
        json.GetProperty("status").GetString().ShouldBe("running");
        json.GetProperty("review").GetString().ShouldBe(id);
        json.GetProperty("stage").GetString().ShouldBe("Faulty");
        json.GetProperty("partition").GetString().ShouldBe(NotifyingPipelines.FailingDay);
        json.GetProperty("breaches").EnumerateArray().Select(b => b.GetString()).ShouldBe(["CAIRN9901: the test stage was told to fail"]);
        json.TryGetProperty("cause", out _).ShouldBeFalse();
    }

    [Fact]
    public void A_command_that_fails_is_tried_again_then_is_a_warning_and_the_run_succeeds()
    {
        using var h = NotifyingPipelines.TwoStages(string.Empty, "2013-05-01");
        var log = h.Env.PathOf("tries.txt");
        h.SetPipeline(Engine.PipelineYaml.TwoStages().Then(NotifyingPipelines.Command(
            $"echo tried >> {log}; echo 'mail server down' >&2; exit 3", "events: [run_succeeded]", "attempts: 2")));

        var run = h.Run().ShouldSucceed();

        File.ReadAllLines(log).ShouldBe(["tried", "tried"]);
        var warning = run.Lines.Single(l => l.StartsWith("warning: CommandNotifier failed: ", StringComparison.Ordinal));
        warning.ShouldStartWith($"warning: CommandNotifier failed: run_succeeded: the notify command ({h.Env.PathOf("pipeline/pipeline.yaml")}:21) did not succeed: 2 attempts in ");
        warning.ShouldContain("last: exit code 3: mail server down.");
    }

    [Fact]
    public void A_command_that_is_not_found_is_not_tried_again()
    {
        using var h = NotifyingPipelines.TwoStages(NotifyingPipelines.Command("./no-such-notifier.sh", "events: [run_succeeded]"), "2013-05-01");

        var run = h.Run().ShouldSucceed();

        var warning = run.Lines.Single(l => l.StartsWith("warning: CommandNotifier failed: ", StringComparison.Ordinal));
        warning.ShouldContain(" did not succeed: 1 attempt in ");
        warning.ShouldContain("last: exit code 127: ");
        warning.ShouldContain("no-such-notifier.sh");
    }

    [Fact]
    public void A_command_still_running_when_its_budget_is_spent_is_killed_and_the_run_goes_on()
    {
        using var h = NotifyingPipelines.TwoStages(string.Empty, "2013-05-01");
        var late = h.Env.PathOf("late.txt");
        h.SetPipeline(Engine.PipelineYaml.TwoStages().Then(NotifyingPipelines.Command(
            $"sleep 30; echo finished > {late}", "events: [run_succeeded]", "attempts: 1", "timeout_seconds: 1")));

        var run = h.Run().ShouldSucceed();

        // Were it not killed, the command would finish after 30 s, deliver the event and leave no warning.
        run.Lines.Single(l => l.StartsWith("warning: CommandNotifier failed: ", StringComparison.Ordinal)).ShouldContain("last: still running after 1.0 s, killed.");
        File.Exists(late).ShouldBeFalse();
    }
}
