using System.Text.Json;
using System.Text.RegularExpressions;

namespace Cairn.Tests.CommandLine;

/// <summary>
/// The week's backfill on the fully built sample (issue 12): one day inside the week and one outside changed before
/// it. It re-runs exactly the inside day's partitioned cells and every whole-dataset cell, which still read all 1,461
/// days, and leaves the outside day stale, as the summary and Status say.
/// </summary>
public sealed partial class ReadmeSampleOutputTests
{
    private static readonly string[] PartitionedStages = ["Ingest", "Validate", "Clean"];
    private static readonly string[] WholeDatasetStages = ["ValidationSummary", "Train", "Evaluate", "Report", "Package"];

    [Fact]
    public void The_weeks_backfill_re_runs_exactly_the_inside_days_cells_and_the_whole_dataset_cells()
    {
        var output = _runs["backfill"].StandardOutput;

        foreach (var stage in PartitionedStages)
        {
            output.ShouldContain($"{stage} date={SampleRuns.InsideDay}: run, ");
            output.ShouldContain($"{stage}: 6 cells up to date, skipped\n");
            SummaryRow(output, stage).ShouldBe($"{stage} 7 cells 1 ran 6 skipped");
        }

        foreach (var stage in WholeDatasetStages)
        {
            // Only the inside day was rebuilt; the other six selected days were up to date and are read as last built.
            output.ShouldContain($"{stage} reads 1,461 partitions: 1 rebuilt in this run, 1,460 as last built\n");
            SummaryRow(output, stage).ShouldBe($"{stage} 1 cell 1 ran 0 skipped");
        }

        output.ShouldNotContain($"date={SampleRuns.OutsideDay}: run");
        output.ShouldEndWith($"  read as last built: 1 partition outside the selection is stale (date={SampleRuns.OutsideDay}); run without --from/--to to refresh it\n");
    }

    [Fact]
    public void After_the_weeks_backfill_Status_says_the_outside_day_is_stale_and_how_to_refresh_it()
    {
        _runs["backfill-status"].StandardOutput.ShouldContain($"Ingest: 1 of 1,461 cells stale\n  Ingest date={SampleRuns.OutsideDay}: input changed: $raw/date={SampleRuns.OutsideDay}/seattle-weather.csv");
        _runs["backfill-status-week"].StandardOutput.ShouldContain(
            $"Outside the selection: 1 partition stale (date={SampleRuns.OutsideDay}), read as last built by ValidationSummary, Train, Evaluate, Report, Package; run without --from/--to to refresh it.\n");
        _runs["backfill-status-week"].StandardOutput.ShouldEndWith("Everything is up to date (26 cells).\n");
    }

    [Fact]
    public void The_package_the_weeks_backfill_builds_lists_all_1461_partitions()
    {
        var package = Regex.Match(_runs["backfill"].StandardOutput, @"packaged \d+ files into (model-[0-9a-f]{16})").Groups[1].Value;

        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(_runs.Workspace, "artifacts", package, "manifest.json"))).RootElement;

        manifest.GetProperty("lineage").GetArrayLength().ShouldBe(1461);
    }

    private static string SummaryRow(string output, string stage) =>
        Duration().Replace(Spaces().Replace(output.Split('\n').Single(l => l.StartsWith($"  {stage} ", StringComparison.Ordinal)), " "), string.Empty).Trim();
}
