using System.Text.Json.Nodes;
using Cairn.Tests.Engine;
using Cairn.Tests.Performance;

namespace Cairn.Tests.Reliability;

/// <summary>
/// Issue 10, item 4: an input whose stat identity moved between its hashing before the cell and the check after it
/// (even back to the same bytes, as a <c>cp</c> re-delivery leaves it) was unstable: the cell's outputs are discarded
/// and it is retried with the input hashed again (the retry line says so), and it fails after the policy's attempts with
/// "input kept changing while the stage ran". The same for a glob that matches another file after the cell.
/// </summary>
public sealed class UnstableInputTests
{
    private const string Day = "2013-05-02";
    private const string Row = "2013-05-02,0.0,12.8,5.0,4.7,drizzle\n";

    [Fact]
    public void An_input_re_delivered_with_the_same_bytes_while_the_stage_read_it_is_retried_and_the_result_is_built_from_all_of_it()
    {
        using var h = Redelivered(times: 1);

        var run = h.Run().ShouldSucceed();

        File.ReadAllText(h.WorkspaceFile($"data/out/date={Day}/out.txt")).ShouldBe(Row, "the half the first attempt read is never kept");
        run.Lines.ShouldContain($"Faulty date={Day}: attempt 2/3 after 0.0 s: input changed while the stage ran: $raw/date={Day}/part.csv; its outputs were discarded");
        var checkpoint = JsonNode.Parse(File.ReadAllText(h.Checkpoint("Faulty", Day)))!;
        checkpoint["attempts"]!.GetValue<int>().ShouldBe(2);
        File.ReadAllText(h.WorkspaceFile($"logs/date={Day}/Faulty.log")).ShouldContain("failed: input changed while the stage ran");
    }

    [Fact]
    public void An_input_that_keeps_changing_fails_the_cell_after_the_policys_attempts_and_records_nothing()
    {
        using var h = Redelivered(times: 99);

        var run = h.Run();

        run.Failure!.Message.ShouldBe($"Stage 'Faulty' failed for date={Day} after 3 attempts: input kept changing while the stage ran: $raw/date={Day}/part.csv; nothing was recorded (log: logs/date={Day}/Faulty.log)");
        File.Exists(h.Checkpoint("Faulty", Day)).ShouldBeFalse();
        File.Exists(h.WorkspaceFile($"data/out/date={Day}/out.txt")).ShouldBeFalse();
        File.ReadAllText(Path.Combine(h.Raw, $"date={Day}", "part.csv")).ShouldBe(Row);
    }

    [Fact]
    public void An_old_input_re_delivered_is_caught_by_its_stat_alone_without_reading_it_again()
    {
        using var h = Redelivered(times: 1);
        h.FileClock = new ClockAhead(TimeSpan.FromSeconds(2.2));
        using var reads = new ContentReads(h.Env.Root);

        var run = h.Run().ShouldSucceed();

        File.ReadAllText(h.WorkspaceFile($"data/out/date={Day}/out.txt")).ShouldBe(Row);
        run.Output.ShouldContain("input changed while the stage ran");
        reads.Rechecked.ShouldNotContain($"raw/date=2013-05-01/part.csv", "a stable old input costs a stat after its cell, not a read");
    }

    [Fact]
    public void A_file_a_glob_input_matches_only_after_the_cell_started_makes_it_retry_with_that_file()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.SetPipeline(new PipelineYaml()
            .Stage("Upper", "UpperCaseStage", s => s.Partitioned().Input("Sources", "{raw}/date={date}/*.csv").Output("Output", "data/upper/date={date}/upper.txt").Retry(2, "0s"))
            .Stage("Concat", "ConcatStage", s => s.Input("Parts", "data/upper/date={each}/upper.txt").Output("Combined", "data/all.txt")));
        var added = false;
        h.Observers.Add(new CellStartObserver((stage, _) =>
        {
            if (stage == "Upper" && !added)
            {
                added = true;
                h.WriteRaw("2013-05-01", "late row\n", "late.csv");
            }
        }));

        var run = h.Run().ShouldSucceed();

        run.Lines.ShouldContain("Upper date=2013-05-01: attempt 2/2 after 0.0 s: input changed while the stage ran: $raw/date=2013-05-01/late.csv (added); its outputs were discarded");
        File.ReadAllText(h.WorkspaceFile("data/upper/date=2013-05-01/upper.txt")).ShouldBe("LATE ROW\nROW OF 2013-05-01\n");
        h.Run().ShouldSucceed().Output.ShouldContain("Upper: skipped, up to date");
    }

    [Fact]
    public void Inputs_of_a_whole_dataset_cell_re_delivered_while_it_ran_are_named_in_order_when_its_600_inputs_are_checked_on_every_core()
    {
        // 600 inputs: above the count from which the check after the cell is spread over every core.
        var days = Enumerable.Range(0, 600).Select(i => new DateOnly(2013, 1, 1).AddDays(i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        using var h = EngineHarness.TwoStages(days);
        h.SetPipeline(new PipelineYaml()
            .Stage("Upper", "UpperCaseStage", s => s.Partitioned().Input("Sources", "{raw}/date={date}/*.csv").Output("Output", "data/upper/date={date}/upper.txt"))
            .Stage("Concat", "ConcatStage", s => s.Input("Parts", "data/upper/date={each}/upper.txt").Output("Combined", "data/all.txt").Retry(2, "0s")));
        var redelivered = false;
        h.Observers.Add(new CellStartObserver((stage, _) =>
        {
            if (stage == "Concat" && !redelivered)
            {
                redelivered = true;
                foreach (var day in new[] { days[450], days[7] })
                {
                    var part = h.WorkspaceFile($"data/upper/date={day}/upper.txt");
                    var bytes = File.ReadAllBytes(part);
                    File.Delete(part);
                    File.WriteAllBytes(part, bytes);
                }
            }
        }));

        var run = h.Run().ShouldSucceed();

        run.Lines.ShouldContain($"Concat: attempt 2/2 after 0.0 s: input changed while the stage ran: data/upper/date={days[7]}/upper.txt, data/upper/date={days[450]}/upper.txt; its outputs were discarded");
        File.ReadAllText(h.WorkspaceFile("data/all.txt")).ShouldBe(string.Concat(days.Select(d => $"ROW OF {d}\n")));
        h.Run().ShouldSucceed().Output.ShouldContain("Concat: skipped, up to date");
    }

    /// <summary>Three days through the Faulty stage (3 attempts, no delay); <see cref="Day"/>'s input is re-delivered on its first <paramref name="times"/> attempts.</summary>
    private static EngineHarness Redelivered(int times)
    {
        var h = new EngineHarness(
            new PipelineYaml().Stage("Faulty", "TestStage", s => s.CopiesEachDay("data/out/date={date}/out.txt").Parameter("Fault", "redeliver-input").Parameter("FailOn", Day).Parameter("Failures", times).Retry(3, "0s")),
            ("Faulty", []));
        h.WriteRaw("2013-05-01", "2013-05-01,0.0,12.2,2.8,4.7,drizzle\n");
        h.WriteRaw(Day, Row);
        h.WriteRaw("2013-05-03", "2013-05-03,0.0,13.9,6.1,3.1,rain\n");
        return h;
    }
}
