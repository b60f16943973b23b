using Cairn.Tests.Engine;

namespace Cairn.Tests.Notifications;

/// <summary>Test pipelines with a <c>notify:</c> list: the engine's two-stage pipeline, and one whose cell fails for one day.</summary>
internal static class NotifyingPipelines
{
    public const string FailingDay = "2013-05-02";

    /// <summary>The two-stage pipeline (Upper per day, then Concat) over the given days.</summary>
    public static EngineHarness TwoStages(string notify, params string[] days)
    {
        var harness = EngineHarness.TwoStages(days);
        harness.SetPipeline(PipelineYaml.TwoStages().Then(notify));
        return harness;
    }

    /// <summary>One partitioned stage that fails with CAIRN9901 for <see cref="FailingDay"/>, over 2013-05-01..03.</summary>
    public static EngineHarness FailingStage(string notify)
    {
        var harness = new EngineHarness(PipelineYaml.Faulty("error", FailingDay, name: "failing").Then(notify), ("Faulty", []));
        foreach (var day in new[] { "2013-05-01", FailingDay, "2013-05-03" })
        {
            harness.WriteRaw(day, $"row of {day}\n");
        }

        return harness;
    }

    /// <summary>Like <see cref="FailingStage"/>, its CAIRN9901 a gate's code (<c>review_on:</c>): the failing day files a review.</summary>
    public static EngineHarness GatedStage(string notify)
    {
        var harness = new EngineHarness(
            new PipelineYaml("gated").Stage("Faulty", "TestStage", s => s.CopiesEachDay("data/out/date={date}/out.txt").Parameter("Fault", "error").Parameter("FailOn", FailingDay).ReviewOn("CAIRN9901")).Then(notify),
            ("Faulty", []));
        foreach (var day in new[] { "2013-05-01", FailingDay, "2013-05-03" })
        {
            harness.WriteRaw(day, $"row of {day}\n");
        }

        return harness;
    }

    /// <summary>A <c>notify:</c> list with one webhook and the given extra keys (YAML, one per line).</summary>
    public static string Webhook(Uri url, params string[] keys) => Entry("webhook", $"\"{url}\"", keys);

    /// <summary>A <c>notify:</c> list with one command and the given extra keys.</summary>
    public static string Command(string command, params string[] keys) => Entry("command", "'" + command.Replace("'", "''", StringComparison.Ordinal) + "'", keys);

    private static string Entry(string kind, string value, string[] keys) =>
        $"notify:\n  - {kind}: {value}\n" + string.Concat(keys.Select(k => $"    {k}\n"));
}
