using Cairn.Tests.Support;
using Microsoft.Build.Utilities;

namespace Cairn.Tests.Modelling;

public sealed class WeatherReportTests
{
    private const string Approved = "tests/Cairn.Tests/Modelling/WeatherReport.expected.txt";

    [Fact]
    public void The_report_matches_the_approved_text()
    {
        using var env = new TestEnvironment();
        var engine = new RecordingBuildEngine();

        new ReportFixture(env).Task(engine, env.PathOf("out/report.md")).Execute().ShouldBeTrue(engine.Log);

        var actual = env.ReadFile("out/report.md");
        var expectedPath = SampleFeatures.PathInRepository(Approved);
        var actualPath = Path.ChangeExtension(expectedPath, null).Replace(".expected", ".actual", StringComparison.Ordinal) + ".txt";
        // The approved file's line ends are normalized: a checkout may turn them into CRLF, report.md is always LF.
        if (!File.Exists(expectedPath) || File.ReadAllText(expectedPath).ReplaceLineEndings("\n") != actual)
        {
            File.WriteAllText(actualPath, actual);
            Assert.Fail($"report.md differs from {Approved}; the text written is in {actualPath}: review it and copy it over the approved file if it is right");
        }
    }

    [Fact]
    public void The_report_draws_the_dag_edges_as_a_mermaid_flowchart_in_the_given_order()
    {
        using var env = new TestEnvironment();
        var engine = new RecordingBuildEngine();
        var report = new ReportFixture(env).Task(engine, env.PathOf("out/report.md"));
        report.StageStates = [];

        report.Execute().ShouldBeTrue(engine.Log);

        env.ReadFile("out/report.md").ShouldContain(
            """
            ```mermaid
            flowchart LR
                Ingest --> Validate
                Validate --> Clean
                Clean --> Features
                Features --> Train
                Features --> Evaluate
                Train --> Evaluate
                Evaluate --> Report
                Validate --> Report
            ```
            """.ReplaceLineEndings("\n"), Case.Sensitive);
    }

    [Fact]
    public void The_report_shows_the_metrics_with_their_thresholds_and_whether_each_passed()
    {
        using var env = new TestEnvironment();
        var engine = new RecordingBuildEngine();

        new ReportFixture(env).Task(engine, env.PathOf("out/report.md")).Execute().ShouldBeTrue(engine.Log);

        var report = env.ReadFile("out/report.md");
        report.ShouldContain("| Accuracy | 0.75 | ≥ 0.72 | pass |\n", Case.Sensitive);
        report.ShouldContain("| AUC | 0.812345 | ≥ 0.8 | pass |\n", Case.Sensitive);
        report.ShouldContain("| Log loss | 0.55 | ≤ 0.52 | FAIL |\n", Case.Sensitive);
        report.ShouldContain("| wind | 3.2315 | 1.4750 | 0.4653 |\n", Case.Sensitive);
    }

    [Fact]
    public void Only_the_first_20_quarantined_partitions_are_listed_then_how_many_more()
    {
        using var env = new TestEnvironment();
        var engine = new RecordingBuildEngine();

        new ReportFixture(env, quarantinedPartitions: 25).Task(engine, env.PathOf("out/report.md")).Execute().ShouldBeTrue(engine.Log);

        var lines = env.ReadFile("out/report.md").Split('\n');
        lines.Count(line => line.StartsWith("| date=", StringComparison.Ordinal)).ShouldBe(20);
        lines.ShouldContain("| date=2015-01-19 | 2 |");
        lines.ShouldContain("| date=2015-01-20 | 1 |");
        lines.ShouldNotContain("| date=2015-01-21 | 1 |");
        lines.ShouldContain("… and 5 more.");
        lines.ShouldContain("| Rows quarantined | 34 |");
        lines.ShouldContain("| Partitions with quarantined rows | 25 |");
    }

    [Fact]
    public void Without_quarantined_rows_the_report_says_none()
    {
        using var env = new TestEnvironment();
        var engine = new RecordingBuildEngine();

        new ReportFixture(env, quarantinedPartitions: 0).Task(engine, env.PathOf("out/report.md")).Execute().ShouldBeTrue(engine.Log);

        env.ReadFile("out/report.md").ShouldEndWith("## Partitions with quarantined rows\n\nNone.\n", Case.Sensitive);
    }

    [Fact]
    public void The_report_is_byte_identical_whatever_order_the_profiles_and_quarantine_files_come_in()
    {
        using var env = new TestEnvironment();
        var fixture = new ReportFixture(env);
        var engine = new RecordingBuildEngine();
        var reversed = fixture.Task(engine, env.PathOf("reversed/report.md"));
        reversed.Profiles = [.. fixture.Profiles.Reverse()];
        reversed.Quarantine = [.. fixture.Quarantine.Reverse()];

        fixture.Task(engine, env.PathOf("given/report.md")).Execute().ShouldBeTrue(engine.Log);
        reversed.Execute().ShouldBeTrue(engine.Log);

        File.ReadAllBytes(env.PathOf("reversed/report.md")).ShouldBe(File.ReadAllBytes(env.PathOf("given/report.md")));
    }

    [Fact]
    public void Partition_metadata_names_a_quarantined_partition_instead_of_its_folder()
    {
        using var env = new TestEnvironment();
        var fixture = new ReportFixture(env, quarantinedPartitions: 1);
        var engine = new RecordingBuildEngine();
        var report = fixture.Task(engine, env.PathOf("out/report.md"));
        var named = new TaskItem(fixture.Quarantine[0].ItemSpec);
        named.SetMetadata("Partition", "station=SEA/date=2015-01-01");
        report.Quarantine = [named];

        report.Execute().ShouldBeTrue(engine.Log);

        env.ReadFile("out/report.md").ShouldContain("| station=SEA/date=2015-01-01 | 2 |\n", Case.Sensitive);
    }

    [Fact]
    public void A_dag_edge_that_is_not_from_arrow_to_fails_with_CAIRN6002()
    {
        using var env = new TestEnvironment();
        var engine = new RecordingBuildEngine();
        var report = new ReportFixture(env).Task(engine, env.PathOf("out/report.md"));
        report.DagEdges = ["Ingest->Validate", "Validate=>Clean"];

        report.Execute().ShouldBeFalse();

        engine.Errors.ShouldBe(
        [
            "CAIRN6002: DAG edge 'Validate=>Clean' is not 'From->To' with stage names of letters, digits and '_'; the engine passes DagEdges from the pipeline's stage dependencies, so check the stage names there",
        ]);
        File.Exists(env.PathOf("out/report.md")).ShouldBeFalse();
    }

    [Fact]
    public void A_profile_without_its_counts_fails_with_CAIRN6001_naming_the_file()
    {
        using var env = new TestEnvironment();
        var fixture = new ReportFixture(env);
        var broken = env.WriteFile("profiles/broken/profile.json", "{\"rows\": 3}\n");
        var engine = new RecordingBuildEngine();
        var report = fixture.Task(engine, env.PathOf("out/report.md"));
        report.Profiles = [.. fixture.Profiles, SampleFeatures.Item(broken)];

        report.Execute().ShouldBeFalse();

        var error = engine.AssertError("CAIRN6001");
        error.ShouldStartWith($"CAIRN6001: profile file '{broken}' cannot be read: ", Case.Sensitive);
        error.ShouldContain("'rows_with_violations'", Case.Sensitive);
        error.ShouldEndWith("; re-run the Validate stage to write it again", Case.Sensitive);
    }

    [Fact]
    public void A_missing_quarantine_file_fails_with_CAIRN6001_naming_the_file()
    {
        using var env = new TestEnvironment();
        var fixture = new ReportFixture(env);
        var missing = env.PathOf("quarantine/date=2016-01-01/quarantine.csv");
        var engine = new RecordingBuildEngine();
        var report = fixture.Task(engine, env.PathOf("out/report.md"));
        report.Quarantine = [.. fixture.Quarantine, SampleFeatures.Item(missing)];

        report.Execute().ShouldBeFalse();

        var error = engine.AssertError("CAIRN6001");
        error.ShouldStartWith($"CAIRN6001: quarantine file '{missing}' cannot be read: ", Case.Sensitive);
        error.ShouldEndWith("; re-run the stage that writes it", Case.Sensitive);
    }
}
