using System.Diagnostics;
using System.Text;
using Cairn.Pipelines.Weather;
using Cairn.Tests.CommandLine;
using Cairn.Tests.Support;
using Xunit.Abstractions;

namespace Cairn.Tests.Reliability;

/// <summary>
/// Issue 3, reliability: every kind of bad raw file, through the real <c>./build.sh</c>. A row-level problem puts the
/// row in quarantine with its reason; a file-level problem fails the run naming the stage, the day, the file and the
/// column. Either way nothing is lost (the day's good rows become features, earlier results stay) and nothing is
/// wrongly skipped (a fixed file re-runs exactly its day).
/// </summary>
[Collection(BuildScriptRuns.Name)]
public sealed class BadInputTests(ITestOutputHelper output)
{
    private const string QuarantineHeader = "date,precipitation,temp_max,temp_min,wind,weather,_source,reason";
    private static readonly string[] GoodDays = ["2012-01-01", "2012-01-02", "2012-01-03"];
    private static readonly string[] SnapshotFolders = ["data", "checkpoints"];
    private static readonly string[] Sample = File.ReadAllLines(Repository.PathOf("pipelines/weather/data/seattle-weather.csv"));
    private static readonly string Header = Sample[0];

    [Fact]
    public void Each_bad_input_is_quarantined_with_its_reason_or_fails_naming_it_and_its_fixed_file_reruns_exactly_its_day()
    {
        var clock = Stopwatch.StartNew();
        using var env = new TestEnvironment();
        var workspace = env.PathOf("ws");
        var cases = Cases(env);
        foreach (var day in GoodDays)
        {
            env.WriteBytes($"raw/date={day}/weather.csv", Lines(Header, Row(day)));
        }

        // One run over the good days and every file that must go through, row-level problems and all.
        var passing = cases.Where(c => c.FailingStage is null).ToList();
        foreach (var input in passing)
        {
            env.WriteBytes($"raw/date={input.Day}/weather.csv", input.Content);
        }

        using var first = Build(env, "--target=Clean").ShouldExitWith(0);
        foreach (var input in passing)
        {
            var quarantine = File.ReadAllText(Path.Combine(workspace, $"data/quarantine/date={input.Day}/weather.csv"));
            quarantine.ShouldBe(string.Concat(input.Quarantined.Prepend(QuarantineHeader).Select(l => l + "\n")), $"quarantine of {input}");
            var features = FeatureRows(workspace, input.Day);
            features.Count.ShouldBe(input.GoodRows, $"features of {input}");
            features.ShouldAllBe(row => row.StartsWith(input.Day + ",", StringComparison.Ordinal), $"features of {input}");
            (features.Count + input.Quarantined.Count).ShouldBe(input.Rows, $"rows of {input} neither in features nor in quarantine");
            var ingested = File.ReadAllBytes(Path.Combine(workspace, $"data/ingested/date={input.Day}/weather.csv"));
            Encoding.UTF8.GetString(ingested).ShouldStartWith("date,precipitation,", Case.Sensitive, $"ingested {input} (no byte order mark)");
            ingested.ShouldNotContain((byte)'\r', $"ingested {input}");
            if (input.Message is not null)
            {
                first.Output.ShouldContain(input.Message, Case.Sensitive, $"{input}");
            }
        }

        // Each file-level problem, delivered as its day's new file, fails its run and changes nothing else.
        var failing = cases.Where(c => c.FailingStage is not null).ToList();
        foreach (var input in failing)
        {
            env.WriteBytes($"raw/date={input.Day}/weather.csv", input.Content);
            var before = Snapshot(workspace);

            // A missing, undeclared or renamed column is schema drift: the day is held for a person's approval (exit 3) with
            // the validator's own words in its log lines; any other file-level problem fails the run (exit 1).
            var drift = input.Message!.Contains(": CAIRN200", StringComparison.Ordinal);
            using var run = Build(env, "--target=Clean", $"--partition={input.Day}").ShouldExitWith(drift ? 3 : 1);

            if (drift)
            {
                var error = input.Message[(input.Message.IndexOf(": CAIRN", StringComparison.Ordinal) + 2)..input.Message.LastIndexOf(" (log: ", StringComparison.Ordinal)];
                run.Output.ShouldContain($"[Validate date={input.Day}] error {error}", Case.Sensitive, $"{input}");
                run.Output.ShouldContain($"Validate date={input.Day}: awaiting approval of schema drift in date={input.Day}: ", Case.Sensitive, $"{input}");
            }
            else
            {
                run.Output.ShouldContain(input.Message!, Case.Sensitive, $"{input}");
            }
            string[] written = input.FailingStage == "Ingest" ? [] : [$"checkpoints/date={input.Day}/Ingest.ok", $"data/ingested/date={input.Day}/weather.csv"];
            var after = Snapshot(workspace);
            before.Where(f => after.GetValueOrDefault(f.Key) != f.Value).Select(f => f.Key).ShouldBe(written.Where(before.ContainsKey), ignoreOrder: true, $"earlier results changed by {input}");
            after.Keys.Except(before.Keys).ShouldBe(written.Where(w => !before.ContainsKey(w)), ignoreOrder: true, $"files added by {input}");
        }

        // Replacing every bad file by a clean one re-runs exactly those days' cells, as far as their change reaches.
        foreach (var input in cases)
        {
            env.WriteBytes($"raw/date={input.Day}/weather.csv", Lines(Header, Row(input.Day)));
        }

        using var fix = Build(env, "--target=Clean").ShouldExitWith(0);

        var rerun = WorkspaceState.Capture(workspace).Checkpoints.Values.Where(c => c.RunId == fix.RunId).Select(c => c.Cell);
        rerun.ShouldBe(cases.SelectMany(c => c.RerunAfterFix.Select(stage => $"{stage} date={c.Day}")), ignoreOrder: true);
        foreach (var day in cases.Select(c => c.Day).Concat(GoodDays))
        {
            FeatureRows(workspace, day).ShouldHaveSingleItem($"features of {day} after the fix").ShouldStartWith(day + ",", Case.Sensitive);
            File.ReadAllText(Path.Combine(workspace, $"data/quarantine/date={day}/weather.csv")).ShouldBe(QuarantineHeader + "\n", $"quarantine of {day} after the fix");
        }

        foreach (var input in cases)
        {
            output.WriteLine($"{input.Day} {input.Case}: {(input.FailingStage is not null ? $"fails in {input.FailingStage}" : input.Quarantined.Count > 0 ? $"{input.Quarantined.Count} quarantined, {input.GoodRows} to features" : "accepted")}; fixed, re-ran {string.Join(", ", input.RerunAfterFix)}");
        }

        output.WriteLine(FormattableString.Invariant(
            $"figures: {cases.Count} bad inputs tried ({cases.Count(c => c.Quarantined.Count > 0)} quarantined, {passing.Count(c => c.Quarantined.Count == 0)} accepted, {failing.Count} fatal), {failing.Count + 2} build.sh runs, {clock.Elapsed.TotalSeconds:0.0} s"));
    }

    private static List<BadInput> Cases(TestEnvironment env)
    {
        string RawFile(string day) => env.PathOf($"raw/date={day}/weather.csv");
        string Ingested(string day) => Path.Combine(env.PathOf("ws"), $"data/ingested/date={day}/weather.csv");
        var contract = Repository.PathOf("pipelines/weather/config/contract.yaml");
        string Failure(string stage, string day, string message) => $"Stage '{stage}' failed for date={day}: {message} (log: logs/date={day}/{stage}.log)";

        return
        [
            new("wrong column count: a field too many", "2012-01-04", Lines(Header, Row("2012-01-04"), Row("2012-01-04") + ",extra"))
            {
                GoodRows = 1,
                Quarantined = [$"{Row("2012-01-04")},weather.csv:3,\"row has 7 fields, header has 6\""],
            },
            new("wrong column count: a field too few", "2012-01-05", Lines(Header, Row("2012-01-05"), Without(Row("2012-01-05"), 5)))
            {
                GoodRows = 1,
                Quarantined = [$"{Without(Row("2012-01-05"), 5)},,weather.csv:3,\"row has 5 fields, header has 6\""],
            },
            new("unparseable number", "2012-01-06", Lines(Header, Row("2012-01-06"), With(Row("2012-01-06"), 1, "abc")))
            {
                GoodRows = 1,
                Quarantined = [$"{With(Row("2012-01-06"), 1, "abc")},weather.csv:3,precipitation: 'abc' is not a number"],
            },
            new("unparseable date", "2012-01-07", Lines(Header, Row("2012-01-07"), With(Row("2012-01-07"), 0, "2012/01/07")))
            {
                GoodRows = 1,
                Quarantined = [$"{With(Row("2012-01-07"), 0, "2012/01/07")},weather.csv:3,date: '2012/01/07' is not a date (yyyy-MM-dd)"],
            },
            new("quoted commas", "2012-01-08", Lines(Header, Row("2012-01-08"), With(Row("2012-01-08"), 1, "\"1,5\""), With(Row("2012-01-08"), 5, "\"rain,fog\""), Quoted(Row("2012-01-08"))))
            {
                GoodRows = 2,
                Quarantined =
                [
                    $"{With(Row("2012-01-08"), 1, "\"1,5\"")},weather.csv:3,\"precipitation: '1,5' is not a number\"",
                    $"{With(Row("2012-01-08"), 5, "\"rain,fog\"")},weather.csv:4,\"weather: 'rain,fog' is not one of drizzle, fog, rain, snow, sun\"",
                ],
            },
            new("a date that is not its partition's", "2012-01-09", Lines(Header, Row("2012-01-09"), With(Row("2012-01-09"), 0, "2012-01-10")))
            {
                GoodRows = 1,
                Quarantined = [$"{With(Row("2012-01-09"), 0, "2012-01-10")},weather.csv:3,date: 2012-01-10 is outside partition 2012-01-09"],
            },

            // Read as if it were plain: the ingested file is the same bytes, so once the file is fixed only Ingest re-runs.
            new("UTF-8 byte order mark", "2012-01-10", [0xEF, 0xBB, 0xBF, .. Lines(Header, Row("2012-01-10"))]) { GoodRows = 1, RerunAfterFix = ["Ingest"] },
            new("CRLF line ends", "2012-01-11", Encoding.UTF8.GetBytes($"{Header}\r\n{Row("2012-01-11")}\r\n")) { GoodRows = 1, RerunAfterFix = ["Ingest"] },
            new("header-only file", "2012-01-12", Lines(Header))
            {
                Message = $"  [Ingest date=2012-01-12] warning CAIRN1101: {RawFile("2012-01-12")} has a header but no data rows; it adds no rows.",
            },

            new("empty file", "2012-01-13", [])
            {
                FailingStage = "Ingest",
                Message = Failure("Ingest", "2012-01-13", $"CAIRN1001: {RawFile("2012-01-13")} is empty (0 bytes), so it has no header. Fix: re-export the file with its header row, or remove it from the partition."),
            },
            new("missing column", "2012-01-14", Lines(Without(Header, 4), Without(Row("2012-01-14"), 4)))
            {
                FailingStage = "Validate",
                Message = Failure("Validate", "2012-01-14", $"CAIRN2001: {Ingested("2012-01-14")} has no column 'wind', which {contract} requires (contract column 5). Fix: add the column to the data, or remove it from the contract."),
            },
            new("extra column", "2012-01-15", Lines(Header + ",humidity", Row("2012-01-15") + ",80"))
            {
                FailingStage = "Validate",
                Message = Failure("Validate", "2012-01-15", $"CAIRN2002: {Ingested("2012-01-15")} column 7 'humidity' is not declared in {contract}. Fix: declare it in the contract, or drop it from the data."),
            },
            new("renamed column", "2012-01-16", Lines(Header.Replace("temp_max", "tmax", StringComparison.Ordinal), Row("2012-01-16")))
            {
                FailingStage = "Validate",
                Message = Failure("Validate", "2012-01-16", $"CAIRN2003: {Ingested("2012-01-16")} column 3 is 'tmax' where {contract} expects 'temp_max' (renamed?). Fix: rename the column back to 'temp_max', or rename it in the contract."),
            },
        ];
    }

    private static BuildProcess Build(TestEnvironment env, params string[] arguments) =>
        BuildProcess.Start([.. arguments, $"--workspace={env.PathOf("ws")}", $"--raw={env.PathOf("raw")}"]).Finish();

    /// <summary>The day's row of the shipped sample.</summary>
    private static string Row(string day) => Sample.Single(l => l.StartsWith(day + ",", StringComparison.Ordinal));

    private static string With(string row, int field, string value)
    {
        var fields = row.Split(',');
        fields[field] = value;
        return string.Join(',', fields);
    }

    private static string Without(string row, int field) => string.Join(',', row.Split(',').Where((_, i) => i != field));

    private static string Quoted(string row) => string.Join(',', row.Split(',').Select(f => $"\"{f}\""));

    private static byte[] Lines(params string[] lines) => Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));

    private static List<string> FeatureRows(string workspace, string day)
    {
        var lines = File.ReadAllLines(Path.Combine(workspace, $"data/features/date={day}/features.csv"));
        lines[0].ShouldBe(CleanWeather.FeaturesHeader);
        return [.. lines.Skip(1)];
    }

    /// <summary>Every file under data/ and checkpoints/ with its content and timestamp.</summary>
    private static Dictionary<string, string> Snapshot(string workspace) =>
        SnapshotFolders
            .Select(folder => Path.Combine(workspace, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            .ToDictionary(
                f => Path.GetRelativePath(workspace, f).Replace('\\', '/'),
                f => $"{Cairn.Hashing.ContentHasher.HashFile(f)} {File.GetLastWriteTimeUtc(f):O}");
}
