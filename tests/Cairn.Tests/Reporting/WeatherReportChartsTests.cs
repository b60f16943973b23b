using System.Xml.Linq;
using Cairn.Pipelines.Weather;
using Cairn.Pipelines.Weather.Charts;
using Cairn.Tests.Modelling;
using Cairn.Tests.Support;

namespace Cairn.Tests.Reporting;

/// <summary>The Report stage's pictures: its charts, the metrics history it adds to, and the DAG coloured by the run.</summary>
public sealed class WeatherReportChartsTests
{
    private const string FirstModel = "1,0.75,0.812345,0.55,12,2015-01-01..2015-02-17";

    [Fact]
    public void The_report_links_both_charts_written_beside_it_and_starts_the_history_with_the_model()
    {
        using var env = new TestEnvironment();
        var engine = new RecordingBuildEngine();

        new ReportFixture(env).Task(engine, env.PathOf("out/report.md")).Execute().ShouldBeTrue(engine.Log);

        var report = env.ReadFile("out/report.md");
        report.ShouldContain("\n![Holdout metrics of each model built in this workspace](metrics-history.svg)\n\nHoldout metrics of the one model built in this workspace, oldest first (kept in `metrics-history.csv`; a model is added when its scores differ from the last).\n", Case.Sensitive);
        report.ShouldContain("\n![Rows per month, kept and quarantined](rows-per-month.svg)\n", Case.Sensitive);
        XDocument.Parse(env.ReadFile("out/rows-per-month.svg")).Root!.Name.LocalName.ShouldBe("svg");
        XDocument.Parse(env.ReadFile("out/metrics-history.svg")).Root!.Name.LocalName.ShouldBe("svg");
        env.ReadFile("out/metrics-history.csv").ShouldBe($"{MetricsHistory.Header}\n{FirstModel}\n");
    }

    [Fact]
    public void The_dag_is_coloured_by_what_each_stage_did_in_the_run_that_built_the_report()
    {
        using var env = new TestEnvironment();
        var engine = new RecordingBuildEngine();

        new ReportFixture(env).Task(engine, env.PathOf("out/report.md")).Execute().ShouldBeTrue(engine.Log);

        var report = env.ReadFile("out/report.md");
        report.ShouldContain("```mermaid\nflowchart LR\n    Ingest[\"Ingest<br/>ran 1 of 60\"]\n", Case.Sensitive);
        report.ShouldContain("    Clean[\"Clean<br/>60 up to date\"]\n", Case.Sensitive);
        report.ShouldContain("    Train[\"Train<br/>ran\"]\n", Case.Sensitive);
        report.ShouldContain("    Report[\"Report<br/>built this report\"]\n", Case.Sensitive);
        report.ShouldContain("    class Ingest,Validate,Features,Train,Evaluate,Report ran\n    class Clean skipped\n```\n", Case.Sensitive);
    }

    [Fact]
    public void Building_the_report_again_on_the_same_model_leaves_the_history_and_charts_byte_for_byte_as_they_were()
    {
        using var env = new TestEnvironment();
        var fixture = new ReportFixture(env);
        var engine = new RecordingBuildEngine();
        fixture.Task(engine, env.PathOf("out/report.md")).Execute().ShouldBeTrue(engine.Log);
        var before = Snapshot(env);

        fixture.Task(engine, env.PathOf("out/report.md")).Execute().ShouldBeTrue(engine.Log);

        Snapshot(env).ShouldBe(before);
    }

    [Fact]
    public void A_model_with_other_scores_is_added_to_the_history_and_drawn_as_a_line()
    {
        using var env = new TestEnvironment();
        var fixture = new ReportFixture(env);
        var engine = new RecordingBuildEngine();
        fixture.Task(engine, env.PathOf("out/report.md")).Execute().ShouldBeTrue(engine.Log);
        File.WriteAllText(fixture.Metrics, ModellingJson.Serialize(ModellingJson.Read<RainMetrics>(fixture.Metrics) with { Accuracy = 0.8, LogLoss = 0.5 }));

        fixture.Task(engine, env.PathOf("out/report.md")).Execute().ShouldBeTrue(engine.Log);

        env.ReadFile("out/metrics-history.csv").ShouldBe($"{MetricsHistory.Header}\n{FirstModel}\n2,0.8,0.812345,0.5,12,2015-01-01..2015-02-17\n");
        XDocument.Parse(env.ReadFile("out/metrics-history.svg")).Descendants(XName.Get("polyline", "http://www.w3.org/2000/svg")).Count().ShouldBe(3);
        env.ReadFile("out/report.md").ShouldContain("Holdout metrics of the last 2 models built in this workspace", Case.Sensitive);
    }

    [Fact]
    public void The_history_keeps_the_newest_fifty_models()
    {
        using var env = new TestEnvironment();
        var fixture = new ReportFixture(env);
        var engine = new RecordingBuildEngine();
        var older = Enumerable.Range(1, MetricsHistory.Limit).Select(i => $"{i},0.7,0.8,0.6,12,2014-01-01..2014-12-31");
        env.WriteFile("out/metrics-history.csv", string.Join("\n", older.Prepend(MetricsHistory.Header)) + "\n");

        fixture.Task(engine, env.PathOf("out/report.md")).Execute().ShouldBeTrue(engine.Log);

        var lines = File.ReadAllLines(env.PathOf("out/metrics-history.csv"));
        lines.Length.ShouldBe(MetricsHistory.Limit + 1);
        lines[1].ShouldStartWith("2,");
        lines[^1].ShouldBe("51,0.75,0.812345,0.55,12,2015-01-01..2015-02-17");
    }

    [Fact]
    public void A_history_the_stage_did_not_write_fails_with_CAIRN6004_naming_the_fix()
    {
        using var env = new TestEnvironment();
        var engine = new RecordingBuildEngine();
        var history = env.WriteFile("out/metrics-history.csv", "date,score\n2015-01-01,0.7\n");

        new ReportFixture(env).Task(engine, env.PathOf("out/report.md")).Execute().ShouldBeFalse();

        engine.Errors.ShouldBe([$"CAIRN6004: the metrics history '{history}' cannot be read: its first line is not '{MetricsHistory.Header}'; delete it to start a new history"]);
        File.Exists(env.PathOf("out/report.md")).ShouldBeFalse();
    }

    [Fact]
    public void A_stage_state_that_is_not_stage_equals_state_fails_with_CAIRN6003()
    {
        using var env = new TestEnvironment();
        var engine = new RecordingBuildEngine();
        var report = new ReportFixture(env).Task(engine, env.PathOf("out/report.md"));
        report.StageStates = ["Ingest=ran 1/60", "Train:done"];

        report.Execute().ShouldBeFalse();

        engine.Errors.ShouldBe(["CAIRN6003: stage state 'Train:done' is not 'Stage=state' with a state of ran, skipped, failed, running or pending; bind StageStates to {run} in the pipeline file and the engine passes it"]);
    }

    private static Dictionary<string, (string Text, DateTime Written)> Snapshot(TestEnvironment env) =>
        Directory.GetFiles(env.PathOf("out")).ToDictionary(f => Path.GetFileName(f), f => (File.ReadAllText(f), File.GetLastWriteTimeUtc(f)));
}
