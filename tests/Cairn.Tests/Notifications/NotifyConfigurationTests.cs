namespace Cairn.Tests.Notifications;

public sealed class NotifyConfigurationTests
{
    [Fact]
    public void Every_problem_of_a_notify_list_is_reported_at_once_with_its_fix()
    {
        const string Notify = """
            notify:
              - webhook: "ftp://example.org/hook"
              - command: "./notify.sh"
                webhook: "http://127.0.0.1:9/"
              - command: "./notify.sh"
                events: [run_finished]
                attempts: 0
                timeout_seconds: 90
                retry: 2
            """;
        using var h = NotifyingPipelines.TwoStages(Notify, "2013-05-01");

        var run = h.Run();

        run.UsageError.ShouldBeTrue();
        var file = h.Env.PathOf("pipeline/pipeline.yaml");
        run.Failure!.Message.Split(Environment.NewLine).ShouldBe(
        [
            $"{file}:21: webhook 'ftp://example.org/hook' is not an http:// or https:// URL; write the whole address, or ${{NAME}} to read it from an environment variable.",
            $"{file}:22: a notifier has exactly one of 'webhook: URL' or 'command: TEXT'.",
            $"{file}:25: 'run_finished' is not an event; the events are run_started, run_succeeded, run_failed, run_cancelled, run_held, stage_failed, review_requested, run_failed_permanently.",
            $"{file}:26: 'attempts: 0' must be a whole number from 1 to 10.",
            $"{file}:27: 'timeout_seconds: 90' must be a number of seconds above 0 and at most 60.",
            $"{file}:28: a notifier has no key 'retry'; it knows webhook, command, events, timeout_seconds, attempts.",
        ]);
    }

    [Fact]
    public void A_webhook_variable_that_holds_no_web_address_is_a_usage_error_that_does_not_print_its_value()
    {
        using var h = NotifyingPipelines.TwoStages("notify:\n  - webhook: \"${CAIRN_TEST_HOOK}\"\n", "2013-05-01");
        h.Variables["CAIRN_TEST_HOOK"] = "s3cr3t-not-a-url";

        var run = h.Run();

        run.UsageError.ShouldBeTrue();
        run.Failure!.Message.ShouldBe($"{h.Env.PathOf("pipeline/pipeline.yaml")}:21: webhook '${{CAIRN_TEST_HOOK}}' is not an http:// or https:// URL once CAIRN_TEST_HOOK is filled in; set CAIRN_TEST_HOOK to the webhook's whole address.");
        Directory.Exists(h.WorkspaceFile("checkpoints")).ShouldBeFalse();
    }
}
