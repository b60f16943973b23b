using Cairn.Tests.Support;

namespace Cairn.Tests.CommandLine;

/// <summary>
/// Issue 11, item 2 through the real <c>./build.sh</c>: a landing stage that fans out (<c>fans_out: true</c>, the
/// built-in <c>SplitByPartition</c>) cuts two source files into days; the days it writes are the partitions the
/// built-in <c>IngestCsv</c> runs for, each with its own checkpoint, and a source change that alters one day re-runs
/// only that day downstream (early cutoff per partition).
/// </summary>
[Collection(BuildScriptRuns.Name)]
public sealed class FanOutCommandLineTests
{
    private const string Pipeline = Landing + """
          Ingest:
            task: Cairn.Stages.Common.IngestCsv
            partitioned: true
            inputs:
              Sources: "landing/date={partition}/flights.csv"
            outputs:
              Output: "data/ingested/date={partition}/flights.csv"
        """;

    private const string Landing = """
        name: flights
        partitions:
          key: date
          grain: day
        default_target: Ingest
        stages:
          Land:
            description: "Cut the sources into one file per day"
            task: Cairn.Stages.Common.SplitByPartition
            fans_out: true
            inputs:
              Sources: "{raw}/*.csv"
            outputs:
              Output: "landing/date={partition}/flights.csv"
            parameters:
              Column: flight_date
              Selection: "{selection}"

        """;

    private const string SourceA = "flight_date,carrier,delay\n2024-03-01,AA,5\n2024-03-02,UA,7\n2024-03-01,DL,0\n2024-03-03,AA,12\n";
    // A quoted field across lines, and a row of another day after it.
    private const string SourceB = "flight_date,carrier,delay\n2024-03-03,UA,3\n2024-03-04,\"Delta\nAir Lines\",1\n2024-03-05,AA,9\n";

    [Fact]
    public void The_days_a_landing_stage_writes_are_the_partitions_downstream_and_one_changed_day_re_runs_only_that_day()
    {
        using var env = Pipeline_with_sources();

        var first = BuildSh(env).ShouldExitWith(0);
        var noOp = BuildSh(env).ShouldExitWith(0);
        env.WriteFile("raw/flights-a.csv", SourceA.Replace("2024-03-02,UA,7", "2024-03-02,UA,70", StringComparison.Ordinal));
        var changed = BuildSh(env).ShouldExitWith(0);
        var status = BuildSh(env, "--target=Status").ShouldExitWith(0);

        first.StandardOutput.ShouldContain("Land: landing/ holds 5 partitions (2024-03-01 to 2024-03-05)\n");
        first.StandardOutput.ShouldMatch(@"\n  Land +1 cell +1 ran +0 skipped ");
        first.StandardOutput.ShouldMatch(@"\n  Ingest +5 cells +5 ran +0 skipped ");
        File.ReadAllText(env.PathOf("ws/landing/date=2024-03-01/flights.csv")).ShouldBe("flight_date,carrier,delay\n2024-03-01,AA,5\n2024-03-01,DL,0\n");
        File.ReadAllText(env.PathOf("ws/landing/date=2024-03-03/flights.csv")).ShouldBe("flight_date,carrier,delay\n2024-03-03,AA,12\n2024-03-03,UA,3\n");
        File.ReadAllText(env.PathOf("ws/data/ingested/date=2024-03-05/flights.csv")).ShouldStartWith("flight_date,carrier,delay,_source,_error\n2024-03-05,AA,9,");
        File.ReadAllText(env.PathOf("ws/landing/date=2024-03-04/flights.csv")).ShouldBe("flight_date,carrier,delay\n2024-03-04,\"Delta\nAir Lines\",1\n");
        File.ReadAllText(env.PathOf("ws/data/ingested/date=2024-03-04/flights.csv")).ShouldBe("flight_date,carrier,delay,_source,_error\n2024-03-04,\"Delta\nAir Lines\",1,flights.csv:2,\n");
        File.Exists(env.PathOf("ws/checkpoints/date=2024-03-04/Ingest.ok")).ShouldBeTrue();
        File.Exists(env.PathOf("ws/checkpoints/Land.ok")).ShouldBeTrue();
        noOp.StandardOutput.ShouldContain("Land: skipped, up to date\n");
        noOp.StandardOutput.ShouldContain("Ingest: skipped, all 5 cells up to date\n");
        noOp.StandardOutput.ShouldContain(" s: nothing to do, all 6 cells are up to date; run log ");
        changed.StandardOutput.Split('\n').ShouldContain("Land: run, input changed: $raw/flights-a.csv");
        changed.StandardOutput.ShouldMatch(@"\n  Land +1 cell +1 ran +0 skipped ");
        changed.StandardOutput.ShouldMatch(@"\n  Ingest +5 cells +1 ran +4 skipped ");
        changed.StandardOutput.Split('\n').ShouldContain("Ingest date=2024-03-02: run, input changed: landing/date=2024-03-02/flights.csv");
        status.StandardOutput.ShouldContain("Status of flights: 5 partitions (2024-03-01 to 2024-03-05)");
    }

    [Fact]
    public void A_landing_run_for_a_selection_lands_only_its_days_and_leaves_the_other_days_files_untouched()
    {
        using var env = Pipeline_with_sources();
        var selected = BuildSh(env, "--from=2024-03-02", "--to=2024-03-03").ShouldExitWith(0);
        var landedFirst = Directory.GetDirectories(env.PathOf("ws/landing")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        BuildSh(env).ShouldExitWith(0);
        var untouched = new FileInfo(env.PathOf("ws/landing/date=2024-03-01/flights.csv"));
        var (before, writtenAt) = (File.ReadAllText(untouched.FullName), untouched.LastWriteTimeUtc);
        env.WriteFile("raw/flights-a.csv", SourceA.Replace("2024-03-01,AA,5", "2024-03-01,AA,50", StringComparison.Ordinal).Replace("2024-03-03,AA,12", "2024-03-03,AA,120", StringComparison.Ordinal));
        var week = BuildSh(env, "--partition=2024-03-03").ShouldExitWith(0);
        var afterWeek = File.ReadAllText(untouched.FullName);
        var writtenAfter = new FileInfo(untouched.FullName).LastWriteTimeUtc;
        var whole = BuildSh(env).ShouldExitWith(0);

        selected.StandardOutput.ShouldContain("Land: landing/ holds 2 partitions (2024-03-02 to 2024-03-03); --from/--to selects 2 partitions\n");
        selected.StandardOutput.ShouldContain("4 of 7 rows fall in 3 partitions outside the selection 2024-03-02..2024-03-03 (2024-03-01 to 2024-03-05): not written, their files left as they are");
        selected.StandardOutput.ShouldMatch(@"\n  Ingest +2 cells +2 ran +0 skipped ");
        landedFirst.ShouldBe(["date=2024-03-02", "date=2024-03-03"]);
        week.StandardOutput.ShouldContain("Selection: all → 2024-03-03");
        week.StandardOutput.ShouldContain("5 of 7 rows fall in 4 partitions outside the selection 2024-03-03 (2024-03-01 to 2024-03-05)");
        week.StandardOutput.ShouldContain("Land: landing/ holds 5 partitions (2024-03-01 to 2024-03-05); --partition selects 1 partition\n");
        week.StandardOutput.ShouldMatch(@"\n  Ingest +1 cell +1 ran +0 skipped ");
        File.ReadAllText(env.PathOf("ws/landing/date=2024-03-03/flights.csv")).ShouldContain("2024-03-03,AA,120\n");
        afterWeek.ShouldBe(before);
        writtenAfter.ShouldBe(writtenAt);
        whole.StandardOutput.ShouldMatch(@"\n  Ingest +5 cells +1 ran +4 skipped ");
        whole.StandardOutput.Split('\n').ShouldContain("Ingest date=2024-03-01: run, input changed: landing/date=2024-03-01/flights.csv");
    }

    [Fact]
    public void A_landing_stage_not_told_the_selection_has_the_partitions_outside_it_discarded_in_one_line()
    {
        using var env = Pipeline_with_sources(Pipeline.Replace("      Selection: \"{selection}\"\n", string.Empty, StringComparison.Ordinal));
        BuildSh(env).ShouldExitWith(0);
        var landed = File.ReadAllText(env.PathOf("ws/landing/date=2024-03-05/flights.csv"));
        env.WriteFile("raw/flights-b.csv", SourceB.Replace("2024-03-05,AA,9", "2024-03-05,AA,90", StringComparison.Ordinal) + "2024-03-06,UA,2\n");

        var one = BuildSh(env, "--partition=2024-03-03").ShouldExitWith(0);

        one.StandardOutput.ShouldContain("Land: wrote 5 partitions outside --partition=2024-03-03 (date=2024-03-01 to date=2024-03-06): not landed; landing/ keeps what it held for them. Bind a parameter to {selection} so that the stage writes only the selected ones\n");
        one.StandardOutput.ShouldMatch(@"\n  Ingest +1 cell +0 ran +1 skipped ");
        File.ReadAllText(env.PathOf("ws/landing/date=2024-03-05/flights.csv")).ShouldBe(landed);
        Directory.Exists(env.PathOf("ws/landing/date=2024-03-06")).ShouldBeFalse();
    }

    [Fact]
    public void A_landing_stage_writing_a_key_that_does_not_parse_fails_its_cell_naming_the_file_and_keeps_what_landed_before()
    {
        using var env = Pipeline_with_sources();
        BuildSh(env).ShouldExitWith(0);
        var landed = File.ReadAllText(env.PathOf("ws/landing/date=2024-03-02/flights.csv"));
        env.WriteFile("raw/flights-c.csv", "flight_date,carrier,delay\n2024-3-7,UA,2\n");

        var bad = BuildSh(env, "--keep-going").ShouldExitWith(1);

        bad.StandardOutput.ShouldContain("Land fans out into landing/date={partition}/flights.csv, but it wrote landing/date=2024-3-7/flights.csv for the partition '2024-3-7', and '2024-3-7' is not a date in the form YYYY-MM-DD; the stage must write the partition's key as YYYY-MM-DD (e.g. date=2013-05-03): fix the rows it was read from, or the stage's parameters. Nothing it wrote was kept");
        bad.StandardOutput.ShouldMatch(@"\n  Land +1 cell +0 ran +0 skipped +1 failed");
        Directory.Exists(env.PathOf("ws/landing/date=2024-3-7")).ShouldBeFalse();
        File.ReadAllText(env.PathOf("ws/landing/date=2024-03-02/flights.csv")).ShouldBe(landed);
        File.Exists(env.PathOf("ws/checkpoints/date=2024-03-02/Ingest.ok")).ShouldBeTrue();

        env.WriteFile("raw/flights-c.csv", "flight_date,carrier,delay\n2024-03-07,UA,2\n");
        var fixedRun = BuildSh(env).ShouldExitWith(0);
        fixedRun.StandardOutput.ShouldMatch(@"\n  Ingest +6 cells +1 ran +5 skipped ");
        File.ReadAllText(env.PathOf("ws/landing/date=2024-03-02/flights.csv")).ShouldBe(landed);
    }

    [Fact]
    public void A_source_larger_than_the_runs_heap_is_landed_in_a_run_whose_heap_is_capped()
    {
        // 320 MB of ten days in order, landed by a run whose GC heap may not exceed 256 MB: holding the rows would not fit.
        using var env = Pipeline_with_sources(Landing.Replace("default_target: Ingest", "default_target: Land", StringComparison.Ordinal));
        File.Delete(env.PathOf("raw/flights-b.csv"));
        var rows = 0L;
        var note = new string('x', 1000);
        using (var file = new StreamWriter(env.PathOf("raw/flights-a.csv")))
        {
            file.Write("flight_date,carrier,delay,note\n");
            for (var day = 1; day <= 10; day++)
            {
                for (var i = 0; i < 32_000; i++, rows++)
                {
                    file.Write(FormattableString.Invariant($"2024-03-{day:00},AA,{i % 90},{note}\n"));
                }
            }
        }

        // Uncapped first: build.sh repacks Cairn.Cake when its sources changed, and MSBuild is not what is measured.
        ProcessStreams.Run(Repository.PathOf("build.sh"), ["--target=Help", $"--pipeline={env.PathOf("flights/pipeline.yaml")}", $"--workspace={env.PathOf("ws")}", $"--raw={env.PathOf("raw")}"], Repository.Root, timeoutSeconds: 900).ShouldExitWith(0);
        var capped = ProcessStreams.Run(
            Repository.PathOf("build.sh"),
            [$"--pipeline={env.PathOf("flights/pipeline.yaml")}", $"--workspace={env.PathOf("ws")}", $"--raw={env.PathOf("raw")}"],
            Repository.Root,
            new Dictionary<string, string?> { ["DOTNET_GCHeapHardLimit"] = "0x10000000" },
            timeoutSeconds: 600);

        new FileInfo(env.PathOf("raw/flights-a.csv")).Length.ShouldBeGreaterThan(300L * 1024 * 1024);
        capped.ShouldExitWith(0).StandardOutput.ShouldContain(FormattableString.Invariant($"(PartitionsWritten 10, RowsIn {rows}, RowsOutside 0)"));
        File.ReadLines(env.PathOf("ws/landing/date=2024-03-07/flights.csv")).Count().ShouldBe(32_001);
    }

    private static TestEnvironment Pipeline_with_sources(string pipeline = Pipeline)
    {
        var env = new TestEnvironment();
        env.WriteFile("flights/pipeline.yaml", pipeline);
        env.WriteFile("raw/flights-a.csv", SourceA);
        env.WriteFile("raw/flights-b.csv", SourceB);
        return env;
    }

    private static ProcessStreams BuildSh(TestEnvironment env, params string[] arguments) =>
        ProcessStreams.Run(
            Repository.PathOf("build.sh"),
            [.. arguments, $"--pipeline={env.PathOf("flights/pipeline.yaml")}", $"--workspace={env.PathOf("ws")}", $"--raw={env.PathOf("raw")}"],
            Repository.Root);
}
