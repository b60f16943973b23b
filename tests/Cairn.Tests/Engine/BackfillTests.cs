using Cairn.Engine.Configuration;
using Cairn.Tests.Observability;

namespace Cairn.Tests.Engine;

/// <summary>
/// A backfill (<c>--partition</c>, <c>--from/--to</c>) through the real engine on the two test stages (Upper per day,
/// then Concat over <c>{each}</c>): the whole-dataset stage reads its <c>reads:</c> window, partitions never built are
/// built first, stale ones outside the selection are read as last built and said so, and an unchanged backfill
/// re-runs nothing.
/// </summary>
public sealed class BackfillTests
{
    private static readonly string[] Days = ["2013-05-01", "2013-05-02", "2013-05-03", "2013-05-04", "2013-05-05"];

    [Fact]
    public void A_backfill_rebuilds_the_selected_days_and_the_whole_dataset_stage_still_reads_every_day()
    {
        using var h = Harness();
        h.Run().ShouldSucceed();
        h.WriteRaw("2013-05-02", "corrected 2\n");

        var run = h.Run("--partition=2013-05-02").ShouldSucceed();

        File.ReadAllText(h.WorkspaceFile("data/all.txt")).ShouldBe("ROW OF 2013-05-01!\nCORRECTED 2!\nROW OF 2013-05-03!\nROW OF 2013-05-04!\nROW OF 2013-05-05!\n");
        run.Lines.ShouldContain("Upper date=2013-05-02: run, input changed: $raw/date=2013-05-02/part.csv");
        run.Lines.ShouldContain("Concat reads 5 partitions: 1 rebuilt in this run, 4 as last built");
        run.Lines.ShouldContain(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^ +Upper +1 cell +1 ran +0 skipped "));
    }

    [Fact]
    public void An_unchanged_backfill_re_runs_nothing_downstream()
    {
        using var h = Harness();
        h.Run().ShouldSucceed();

        var run = h.Run("--from=2013-05-02", "--to=2013-05-03").ShouldSucceed();

        run.Lines.ShouldContain("Upper: skipped, all 2 cells up to date");
        run.Lines.ShouldContain("Concat reads 5 partitions: 0 rebuilt in this run, 5 as last built");
        run.Lines.ShouldContain("Concat: skipped, up to date");
    }

    [Fact]
    public void Partitions_a_window_reads_that_were_never_built_are_built_first_and_said_so_before_the_run()
    {
        using var h = Harness();

        var run = h.Run("--partition=2013-05-03").ShouldSucceed();

        run.Lines.ShouldContain("4 partitions that Concat reads were never built (date=2013-05-01, date=2013-05-02, … and 2 more): they are built first (Upper run for them too)");
        run.Lines.ShouldContain("Concat reads 5 partitions: 5 rebuilt in this run, 0 as last built");
        File.ReadAllText(h.WorkspaceFile("data/all.txt")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(5);
        Days.ShouldAllBe(day => File.Exists(h.Checkpoint("Upper", day)));
    }

    [Fact]
    public void A_stale_partition_outside_the_selection_is_read_as_last_built_and_the_summary_and_status_say_how_to_refresh_it()
    {
        using var h = Harness();
        h.Run().ShouldSucceed();
        h.WriteRaw("2013-05-02", "corrected 2\n");
        h.WriteRaw("2013-05-05", "corrected 5\n");

        var run = h.Run("--partition=2013-05-02").ShouldSucceed();
        var selected = Inspection.Run(h, s => s.Status(), "--partition=2013-05-02");
        var whole = Inspection.Run(h, s => s.Status());

        File.ReadAllText(h.WorkspaceFile("data/all.txt")).ShouldContain("ROW OF 2013-05-05!\n");
        run.Lines[^1].ShouldBe("  read as last built: 1 partition outside the selection is stale (date=2013-05-05); run without --partition to refresh it");
        selected.ShouldContain("Outside the selection: 1 partition stale (date=2013-05-05), read as last built by Concat; run without --partition to refresh it.\n");
        whole.ShouldContain("Upper: 1 of 5 cells stale\n  Upper date=2013-05-05: input changed: $raw/date=2013-05-05/part.csv");
    }

    [Theory]
    [InlineData("selection", "--from=2013-05-02|--to=2013-05-03", "ROW OF 2013-05-02!\nROW OF 2013-05-03!\n")]
    [InlineData("last 2 days", "--partition=2013-05-04", "ROW OF 2013-05-03!\nROW OF 2013-05-04!\n")]
    [InlineData("last 3 days", "--partition=2013-05-02", "ROW OF 2013-05-01!\nROW OF 2013-05-02!\n")]
    [InlineData("all", "--partition=2013-05-02", "ROW OF 2013-05-01!\nROW OF 2013-05-02!\nROW OF 2013-05-03!\nROW OF 2013-05-04!\nROW OF 2013-05-05!\n")]
    public void The_whole_dataset_stage_reads_its_window(string window, string arguments, string combined)
    {
        using var h = Harness(window);

        h.Run(arguments.Split('|')).ShouldSucceed();

        File.ReadAllText(h.WorkspaceFile("data/all.txt")).ShouldBe(combined);
    }

    [Theory]
    [InlineData("last year", "stage 'Concat' reads 'last year', which is not a window; write " + ReadWindow.Forms + ".")]
    [InlineData("last 0 days", "stage 'Concat' reads 'last 0 days', which is not a window; write " + ReadWindow.Forms + ".")]
    [InlineData("everything", "stage 'Concat' reads 'everything', which is not a window; write " + ReadWindow.Forms + ".")]
    public void An_unknown_window_is_a_usage_error_naming_the_line_and_the_forms(string window, string message)
    {
        using var h = Harness(window);

        var run = h.Run();

        run.UsageError.ShouldBeTrue();
        run.Failure!.Message.ShouldBe($"{h.Env.PathOf("pipeline/pipeline.yaml")}:{ReadsLine(h)}: {message}");
        Directory.Exists(h.Workspace).ShouldBeFalse();
    }

    [Fact]
    public void A_window_longer_than_the_data_is_a_usage_error_naming_the_line_and_the_fix()
    {
        using var h = Harness("last 6 days");

        var run = h.Run("--partition=2013-05-05");

        run.UsageError.ShouldBeTrue();
        run.Failure!.Message.ShouldBe($"{h.Env.PathOf("pipeline/pipeline.yaml")}:{ReadsLine(h)}: stage 'Concat' reads last 6 days, but the raw data in {h.Raw} spans 5 days (2013-05-01 to 2013-05-05); shorten the window to at most 5 days, or write reads: all.");
        Directory.Exists(h.Workspace).ShouldBeFalse();
    }

    [Fact]
    public void Reads_on_a_partitioned_stage_is_refused()
    {
        var pipeline = new PipelineYaml()
            .Stage("Upper", "UpperCaseStage", s => s.Partitioned().Input("Sources", "{raw}/date={date}/*.csv").Output("Output", "data/upper/date={date}/upper.txt").Reads("all"));
        using var h = new EngineHarness(pipeline, ("Upper", []));
        h.WriteRaw("2013-05-01", "row\n");

        var run = h.Run();

        run.UsageError.ShouldBeTrue();
        run.Failure!.Message.ShouldBe($"{h.Env.PathOf("pipeline/pipeline.yaml")}:{ReadsLine(h)}: stage 'Upper' is partitioned, so each of its cells reads its own partition; 'reads' is for a whole-dataset stage (one that reads {{each}}). Remove it, or set partitioned: false.");
    }

    private static EngineHarness Harness(string? window = null)
    {
        var pipeline = new PipelineYaml()
            .Stage("Upper", "UpperCaseStage", s => s.Partitioned().Input("Sources", "{raw}/date={date}/*.csv").Output("Output", "data/upper/date={date}/upper.txt").Parameter("Suffix", "!"))
            .Stage("Concat", "ConcatStage", s =>
            {
                s.Input("Parts", "data/upper/date={each}/upper.txt").Output("Combined", "data/all.txt");
                if (window is not null)
                {
                    s.Reads(window);
                }
            });
        var h = new EngineHarness(pipeline, ("Upper", []), ("Concat", ["Upper"]));
        foreach (var day in Days)
        {
            h.WriteRaw(day, $"row of {day}\n");
        }

        return h;
    }

    private static int ReadsLine(EngineHarness h) =>
        Array.FindIndex(File.ReadAllLines(h.Env.PathOf("pipeline/pipeline.yaml")), l => l.TrimStart().StartsWith("reads:", StringComparison.Ordinal)) + 1;
}
