namespace Cairn.Tests.Engine;

/// <summary>
/// Issue 11, item 1: the pipeline file declares its partitions (<c>partitions: key, grain, files</c>). Hourly, monthly
/// and unpartitioned pipelines run through the real engine on the test stages: Upper per partition, then Concat over
/// <c>{each}</c>; bad keys, folders and arguments are refused or warned of with the grain and an example.
/// </summary>
public sealed class DeclaredPartitionTests
{
    private static readonly string[] Hours = [.. Enumerable.Range(0, 10).Select(h => $"2024-01-01T{h:00}")];

    [Fact]
    public void An_hourly_pipeline_runs_every_hour_then_skips_everything_when_nothing_changed()
    {
        using var h = Hourly("selection");
        var recorder = Record(h);

        h.Run().ShouldSucceed().Output.ShouldContain("(local, 10 partitions)");
        var second = h.Run().ShouldSucceed();

        recorder.Events.Count(e => e.StartsWith("cell Upper 2024-01-01T", StringComparison.Ordinal)).ShouldBe(10);
        File.ReadAllText(h.WorkspaceFile("data/upper/hour=2024-01-01T07/upper.txt")).ShouldBe("ROW OF 2024-01-01T07!\n");
        File.ReadAllText(h.WorkspaceFile("data/all.txt")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(10);
        second.Lines.ShouldContain("Upper: skipped, all 10 cells up to date");
        second.Lines.ShouldContain("Concat: skipped, up to date");
    }

    [Fact]
    public void One_changed_hour_re_runs_only_that_hour_and_what_reads_it()
    {
        using var h = Hourly("all");
        h.Run().ShouldSucceed();
        var recorder = Record(h);
        h.Env.WriteFile("raw/hour=2024-01-01T03/part.csv", "corrected 3\n");

        var run = h.Run().ShouldSucceed();

        recorder.Events.Where(e => e.StartsWith("cell ", StringComparison.Ordinal)).ShouldBe(["cell Upper 2024-01-01T03 ok", "cell Concat - ok"]);
        run.Lines.ShouldContain("Upper hour=2024-01-01T03: run, input changed: $raw/hour=2024-01-01T03/part.csv");
        File.ReadAllText(h.WorkspaceFile("data/all.txt")).ShouldContain("ROW OF 2024-01-01T02!\nCORRECTED 3!\nROW OF 2024-01-01T04!\n");
    }

    [Fact]
    public void A_backfill_of_six_hours_builds_those_hours_alone()
    {
        using var h = Hourly("selection");
        var recorder = Record(h);

        h.Run("--from=2024-01-01T02", "--to=2024-01-01T07").ShouldSucceed().Output.ShouldContain("(local, 6 partitions)");

        recorder.Events.Where(e => e.StartsWith("cell Upper ", StringComparison.Ordinal)).ShouldBe(Hours[2..8].Select(hour => $"cell Upper {hour} ok"));
        File.ReadAllText(h.WorkspaceFile("data/all.txt")).ShouldBe(string.Concat(Hours[2..8].Select(hour => $"ROW OF {hour}!\n")));
        Directory.Exists(h.WorkspaceFile("data/upper/hour=2024-01-01T08")).ShouldBeFalse();
    }

    [Fact]
    public void A_window_of_hours_ends_at_the_selected_hour()
    {
        using var h = Hourly("last 6 hours");

        h.Run("--partition=2024-01-01T09").ShouldSucceed();

        File.ReadAllText(h.WorkspaceFile("data/all.txt")).ShouldBe(string.Concat(Hours[4..10].Select(hour => $"ROW OF {hour}!\n")));
    }

    [Fact]
    public void A_window_of_hours_longer_than_the_raw_data_is_refused_in_hours()
    {
        using var h = Hourly("last 2 days");

        var run = h.Run();

        run.UsageError.ShouldBeTrue(run.Output);
        run.Failure!.Message.ShouldEndWith($"stage 'Concat' reads last 2 days, but the raw data in {h.Raw} spans 10 hours (2024-01-01T00 to 2024-01-01T09); shorten the window to at most 10 hours, or write reads: all.");
    }

    [Fact]
    public void A_monthly_pipeline_runs_a_month_and_a_window_of_months()
    {
        var yaml = PipelineYaml.TwoStagesBy("month", "last 2 months").Then("partitions:\n  key: month\n  grain: month\n  files: \"*.dat\"\n");
        using var h = new EngineHarness(yaml, ("Upper", []), ("Concat", ["Upper"]));
        foreach (var month in (string[])["2023-12", "2024-01", "2024-02", "2024-03"])
        {
            h.Env.WriteFile($"raw/month={month}/sales.dat", $"sales of {month}\n");
        }

        var recorder = Record(h);

        var run = h.Run("--partition=2024-02").ShouldSucceed();

        File.ReadAllText(h.WorkspaceFile("data/all.txt")).ShouldBe("SALES OF 2024-01!\nSALES OF 2024-02!\n");
        recorder.Events.Where(e => e.StartsWith("cell Upper ", StringComparison.Ordinal)).ShouldBe(["cell Upper 2024-01 ok", "cell Upper 2024-02 ok"]);
        run.Output.ShouldNotContain("warning");
    }

    [Fact]
    public void An_unpartitioned_pipeline_has_one_cell_per_stage_and_refuses_a_partition()
    {
        using var h = new EngineHarness(PipelineYaml.Unpartitioned(), ("Upper", []), ("Concat", ["Upper"]));
        h.Env.WriteFile("raw/a.csv", "first\n");
        h.Env.WriteFile("raw/b.csv", "second\n");
        var recorder = Record(h);

        h.Run().ShouldSucceed();
        var second = h.Run().ShouldSucceed();
        var refused = h.Run("--partition=2024-01-01", "--to=2024-02-01");

        recorder.Events.Where(e => e.StartsWith("cell ", StringComparison.Ordinal)).ShouldBe(["cell Upper - ok", "cell Concat - ok"]);
        File.ReadAllText(h.WorkspaceFile("data/all.txt")).ShouldBe("FIRST!\nSECOND!\n");
        second.Lines.ShouldContain("Upper: skipped, up to date");
        // No "0 partitions" in the summary of a pipeline that has none.
        second.Lines.ShouldContain(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^Cairn run \S+ \(local\) succeeded in "));
        refused.UsageError.ShouldBeTrue(refused.Output);
        ((CairnUsageException)refused.Failure!).Problems.ShouldBe(
        [
            "--partition=2024-01-01: this pipeline has no partitions (partitions: grain: none): every stage has one cell that reads the whole landing zone; drop --partition.",
            "--to=2024-02-01: this pipeline has no partitions (partitions: grain: none): every stage has one cell that reads the whole landing zone; drop --to.",
        ]);
    }

    [Fact]
    public void A_partition_of_another_grain_is_a_usage_error_naming_the_grain_and_an_example()
    {
        using var hourly = Hourly("selection");
        using var daily = EngineHarness.TwoStages("2013-05-01");

        var day = hourly.Run("--partition=2024-01-01");
        var hour = daily.Run("--partition=2013-05-01T05");
        var malformed = hourly.Run("--from=2024-01-01T5");

        day.UsageError.ShouldBeTrue();
        day.ExitCode.ShouldBe(2);
        day.Failure!.Message.ShouldBe("--partition=2024-01-01: '2024-01-01' is a day, but this pipeline's partitions are hours (partitions: grain: hour); write it as YYYY-MM-DDTHH, e.g. 2013-05-03T14.");
        hour.Failure!.Message.ShouldBe("--partition=2013-05-01T05: '2013-05-01T05' is an hour, but this pipeline's partitions are days (partitions: grain: day); write it as YYYY-MM-DD, e.g. 2013-05-03.");
        malformed.Failure!.Message.ShouldBe("--from=2024-01-01T5: '2024-01-01T5' is not an hour in the form YYYY-MM-DDTHH; write it as YYYY-MM-DDTHH, e.g. 2013-05-03T14.");
    }

    [Fact]
    public void Folders_whose_key_does_not_parse_at_the_grain_or_that_hold_no_raw_file_are_warned_of_and_refused_with_strict()
    {
        using var h = Hourly("selection");
        h.Env.WriteFile("raw/hour=2024-01-01/part.csv", "a day\n");
        h.Env.WriteFile("raw/hour=2024-01-01T3/part.csv", "one digit\n");
        h.Env.WriteFile("raw/hour=2024-01-01T10/notes.txt", "no csv\n");
        string[] expected =
        [
            $"2 folders in {h.Raw} are named hour=… without a YYYY-MM-DDTHH hour and are ignored: hour=2024-01-01, hour=2024-01-01T3; rename them hour=YYYY-MM-DDTHH (e.g. hour=2013-05-03T14, partitions: grain: hour).",
            $"1 folder in {h.Raw} holds no .csv file and is ignored: hour=2024-01-01T10; a partition needs at least one file named *.csv (the extension in lower case).",
        ];

        var run = h.Run().ShouldSucceed();
        var strict = h.Run("--strict");

        run.Lines.Where(l => l.StartsWith("warning: ", StringComparison.Ordinal)).ShouldBe(expected.Select(e => "warning: " + e));
        run.Output.ShouldContain("(local, 10 partitions)");
        ((CairnUsageException)strict.Failure!).Problems.ShouldBe(expected.Select(e => "--strict: " + e));
    }

    [Fact]
    public void A_landing_zone_with_no_partition_of_the_grain_is_refused_naming_the_layout()
    {
        var yaml = PipelineYaml.TwoStagesBy("month", "selection").Then("partitions:\n  key: month\n  grain: month\n  files: \"*.dat\"\n");
        using var h = new EngineHarness(yaml, ("Upper", []), ("Concat", ["Upper"]));
        h.Env.WriteFile("raw/month=2024-01/sales.csv", "not a .dat\n");

        var run = h.Run();

        ((CairnUsageException)run.Failure!).Problems.ShouldBe(
        [
            $"--raw: {h.Raw} holds no partitions; expected folders named month=YYYY-MM with at least one file named *.dat in each (partitions: in the pipeline file).",
        ]);
    }

    [Theory]
    [InlineData("partitions:\n  grain: hour\n", "{date}", "selection", "stage 'Upper' 'Sources: {raw}/date={date}/*.csv' uses {date}, a day, but the pipeline's partitions are hours (partitions: grain: hour); write {partition}.")]
    [InlineData("partitions:\n  grain: day\n", "{partition}", "last 12 hours", "stage 'Concat' reads last 12 hours, a window in hours, but the pipeline's partitions are days (partitions: grain: day); give the window in days or longer, e.g. reads: last 3 days.")]
    [InlineData("partitions:\n  grain: none\n", "{partition}", "selection", "stage 'Upper' is partitioned, but the pipeline declares partitions: grain: none, so every stage has one cell; remove partitioned: true, or declare a grain (hour, day, month).")]
    [InlineData("partitions:\n  grain: week\n", "{partition}", "selection", "partitions.grain 'week' is not a grain; write one of hour | day | month | none (hour keys YYYY-MM-DDTHH, day keys YYYY-MM-DD, month keys YYYY-MM).")]
    [InlineData("partitions:\n  key: the/date\n  filez: x\n", "{partition}", "selection", "partitions has an unknown key 'filez'; partitions knows key, grain, files.")]
    public void A_pipeline_file_whose_paths_or_windows_do_not_fit_its_grain_is_refused(string partitions, string placeholder, string window, string problem)
    {
        var yaml = new PipelineYaml()
            .Stage("Upper", "UpperCaseStage", s => s.Partitioned().Input("Sources", $"{{raw}}/date={placeholder}/*.csv").Output("Output", "data/upper/" + placeholder + "/upper.txt"))
            .Stage("Concat", "ConcatStage", s => s.Input("Parts", "data/upper/{each}/upper.txt").Output("Combined", "data/all.txt").Reads(window))
            .Then(partitions);
        using var h = new EngineHarness(yaml, ("Upper", []), ("Concat", ["Upper"]));
        h.WriteRaw("2013-05-01", "x\n");

        var run = h.Run();

        run.UsageError.ShouldBeTrue(run.Output);
        run.Failure!.Message.ShouldContain(problem);
    }

    [Fact]
    public void Checkpoints_logs_and_history_name_a_partition_by_the_declared_key_and_a_workspace_of_date_folders_stays_up_to_date()
    {
        using var h = Hourly("all");
        h.Run().ShouldSucceed();
        var runId = Path.GetFileNameWithoutExtension(Directory.GetFiles(h.WorkspaceFile("logs/runs"), "*.log").Single());
        var history = new StringWriter();
        using (var session = h.OpenHostTarget("History", history, "--run=" + runId))
        {
            session.History();
        }

        File.Exists(h.WorkspaceFile("checkpoints/hour=2024-01-01T03/Upper.ok")).ShouldBeTrue();
        // A cell that logged only the default lines is in its stage's log of the run, each line led by the declared key.
        File.ReadAllLines(h.WorkspaceFile($"logs/runs/{runId}/Upper.log")).ShouldContain(l => l.StartsWith("hour=2024-01-01T03 ", StringComparison.Ordinal));
        Directory.GetDirectories(h.WorkspaceFile("checkpoints"), "date=*").ShouldBeEmpty();
        history.ToString().ShouldContain("  Upper hour=2024-01-01T03 ");

        // The layout before checkpoint folders were named by the key: date=<key> whatever it was.
        foreach (var folder in Directory.GetDirectories(h.WorkspaceFile("checkpoints"), "hour=*"))
        {
            Directory.Move(folder, Path.Combine(h.WorkspaceFile("checkpoints"), "date=" + Path.GetFileName(folder)["hour=".Length..]));
        }

        var upgraded = h.Run().ShouldSucceed();

        upgraded.Lines.ShouldContain("Upper: skipped, all 10 cells up to date");
        upgraded.Lines.ShouldContain("Concat: skipped, up to date");
    }

    private static EngineHarness Hourly(string window)
    {
        var yaml = PipelineYaml.TwoStagesBy("hour", window).Then("partitions:\n  key: hour\n  grain: hour\n  files: \"*.csv\"\n");
        var h = new EngineHarness(yaml, ("Upper", []), ("Concat", ["Upper"]));
        foreach (var hour in Hours)
        {
            h.Env.WriteFile($"raw/hour={hour}/part.csv", $"row of {hour}\n");
        }

        return h;
    }

    private static RecordingObserver Record(EngineHarness h)
    {
        var recorder = new RecordingObserver();
        h.Observers.Add(recorder);
        return recorder;
    }
}
