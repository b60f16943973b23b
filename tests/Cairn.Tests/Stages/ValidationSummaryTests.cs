using System.Globalization;
using Cairn.Pipelines.Weather;
using Cairn.Stages.Common;
using Cairn.Tests.Support;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Cairn.Tests.Stages;

/// <summary>
/// The validation summary over real profiles and quarantine files, made by the real ingest, validation and cleaning
/// stages from days with problems planted on purpose; every figure is checked against what the test planted.
/// </summary>
public sealed class ValidationSummaryTests : IDisposable
{
    // Each day's rows and the problems planted in them: (row, null fields, values breaking the contract).
    private static readonly (string Day, (string Row, int Nulls, int Violations)[] Rows)[] Days =
    [
        ("2013-01-01",
        [
            ("2013-01-01,0.0,8.3,2.2,3.1,sun", 0, 0),
            ("2013-01-01,0.0,8.3,2.2,,sun", 1, 1),            // wind missing: a null, and the contract says not nullable
            ("2013-01-01,1.0,99.0,2.2,3.0,rain", 0, 1),       // temp_max above 50
        ]),
        ("2013-01-02",
        [
            ("2013-01-02,0.0,9.0,3.0,2.0,fog", 0, 0),
            ("2013-01-02,2.5,7.0,4.0,5.5,rain", 0, 0),
        ]),
        ("2013-01-03",
        [
            ("2013-01-03,0.0,6.0,1.0,2.0,hail", 0, 1),        // not an allowed weather
            ("2013-01-03,0.0,6.0,1.0,2.0,hail", 0, 1),
            ("2013-01-04,0.0,6.0,-45.0,2.0,sun", 0, 2),       // another day's row, and temp_min below -30
            ("2013-01-03,3.0,5.0,2.0,4.0,rain", 0, 0),
        ]),
    ];

    private readonly TestEnvironment _env = new();
    private readonly RecordingBuildEngine _engine = new();

    public ValidationSummaryTests()
    {
        foreach (var (day, rows) in Days)
        {
            var raw = _env.WriteFile($"raw/date={day}/weather.csv", SampleData.Header + "\n" + string.Join("\n", rows.Select(r => r.Row)) + "\n");
            var ingested = _env.PathOf($"data/ingested/date={day}/weather.csv");
            new IngestCsv { BuildEngine = _engine, Sources = [new TaskItem(raw)], Output = ingested }.Execute().ShouldBeTrue(_engine.Log);
            new ValidateContract { BuildEngine = _engine, Input = ingested, Contract = SampleData.WeatherContract, Partition = day, Profile = ProfileOf(day) }.Execute().ShouldBeTrue(_engine.Log);
            new CleanWeather { BuildEngine = _engine, Input = ingested, Contract = SampleData.WeatherContract, Profile = ProfileOf(day), Partition = day, Features = _env.PathOf($"data/features/date={day}/features.csv"), Quarantine = QuarantineOf(day) }
                .Execute().ShouldBeTrue(_engine.Log);
        }
    }

    public void Dispose() => _env.Dispose();

    [Fact]
    public void Each_day_and_the_totals_are_the_counts_planted_and_the_worst_day_comes_first()
    {
        var summary = Summarize(Days.Select(d => d.Day), "summary.md");

        summary.Execute().ShouldBeTrue(_engine.Log);

        var text = File.ReadAllText(_env.PathOf("summary.md"));
        var expected = Days.Select(d => (
                d.Day,
                Rows: d.Rows.Length,
                Nulls: d.Rows.Sum(r => r.Nulls),
                RowsWithViolations: d.Rows.Count(r => r.Violations > 0),
                Violations: d.Rows.Sum(r => r.Violations)))
            .OrderByDescending(d => d.RowsWithViolations).ThenBy(d => d.Day, StringComparer.Ordinal)
            .ToList();
        expected.Select(d => d.Day).ShouldBe(["2013-01-03", "2013-01-01", "2013-01-02"]);
        var table = text.Split('\n').SkipWhile(l => !l.StartsWith("| Partition |", StringComparison.Ordinal)).Skip(2).TakeWhile(l => l.Length > 0).ToList();
        table.Select(l => string.Join(' ', l.Split('|', StringSplitOptions.TrimEntries)[1..8])).ShouldBe(
            expected.Select(d => Invariant($"{d.Day} {d.Rows} {d.Nulls} {d.RowsWithViolations} {d.Violations} 0 {d.RowsWithViolations}")),
            "partition, rows, nulls, rows with violations, violations, read errors, quarantined: the cleaning stage quarantines every row with a violation");
        table[0].ShouldEndWith("| date: 1 violation, temp_min: 1 violation, weather: 2 violations |");
        table[1].ShouldEndWith("| temp_max: 1 violation, wind: 1 null, 1 violation |");
        table[2].ShouldEndWith("| 0 | 0 | 0 | 0 | 0 | |");
        var rows = Days.Sum(d => d.Rows.Length);
        var withViolations = Days.Sum(d => d.Rows.Count(r => r.Violations > 0));
        text.ShouldContain(Invariant($"3 partitions (2013-01-01 to 2013-01-03): {rows} rows, 1 null values, {withViolations} rows with contract violations in 2 partitions, 0 rows that could not be read, {withViolations} rows quarantined.\n"));
        text.ShouldContain("| wind | number | 1 | 1 |\n");
        text.ShouldContain("| temp_max | number | 0 | 1 |\n");
        text.ShouldContain("| weather | category | 0 | 2 |\n");
        summary.Partitions.ShouldBe(3);
        summary.RowsWithViolations.ShouldBe(withViolations);
        summary.QuarantinedRows.ShouldBe(withViolations);
    }

    [Fact]
    public void The_same_profiles_in_any_order_give_the_same_bytes()
    {
        Summarize(Days.Select(d => d.Day), "a.md").Execute().ShouldBeTrue(_engine.Log);
        Summarize(Days.Select(d => d.Day).Reverse(), "b.md").Execute().ShouldBeTrue(_engine.Log);

        File.ReadAllBytes(_env.PathOf("b.md")).ShouldBe(File.ReadAllBytes(_env.PathOf("a.md")));
        File.ReadAllText(_env.PathOf("a.md")).ShouldNotContain("\r");
    }

    [Fact]
    public void A_profile_that_is_not_json_fails_the_stage_naming_the_file_and_the_fix()
    {
        File.WriteAllText(ProfileOf("2013-01-02"), "{ \"rows\": ");

        Summarize(Days.Select(d => d.Day), "summary.md").Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN2100").ShouldStartWith($"CAIRN2100: the profile {ProfileOf("2013-01-02")} cannot be read: ");
        _engine.Errors.ShouldHaveSingleItem().ShouldEndWith(". Re-run the validation stage that writes it (ValidateContract).");
        File.Exists(_env.PathOf("summary.md")).ShouldBeFalse();
    }

    [Fact]
    public void Unreadable_and_doubled_files_fail_the_stage_each_named_with_its_fix_in_the_items_order()
    {
        // Read on every core, said in the order the items came: doubles first, then profiles, then quarantine files.
        File.WriteAllText(ProfileOf("2013-01-03"), "{ \"rows\": 1 }");
        File.WriteAllText(ProfileOf("2013-01-01"), "not json");
        File.Delete(QuarantineOf("2013-01-02"));
        var summary = Summarize(Days.Select(d => d.Day), "summary.md");
        summary.Profiles = [.. summary.Profiles, new TaskItem(_env.WriteFile("elsewhere/date=2013-01-02/profile.json", "{}"))];

        summary.Execute().ShouldBeFalse();

        _engine.Errors.Count.ShouldBe(4, _engine.Log);
        _engine.Errors[0].ShouldBe($"CAIRN2102: {_env.PathOf("elsewhere/date=2013-01-02/profile.json")} is a second profile of partition 2013-01-02; bind one profile per partition (data/profiles/date={{each}}/profile.json).");
        _engine.Errors[1].ShouldStartWith($"CAIRN2100: the profile {ProfileOf("2013-01-01")} cannot be read: ");
        _engine.Errors[2].ShouldBe($"CAIRN2100: the profile {ProfileOf("2013-01-03")} cannot be read: it lacks rows, rows_with_violations or a column's nulls or violations. Re-run the validation stage that writes it (ValidateContract).");
        _engine.Errors[3].ShouldStartWith($"CAIRN2101: the quarantine file {QuarantineOf("2013-01-02")} cannot be read: ");
        _engine.Errors[3].ShouldEndWith(". Re-run the stage that writes it.");
        File.Exists(_env.PathOf("summary.md")).ShouldBeFalse();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private string ProfileOf(string day) => _env.PathOf($"data/profiles/date={day}/profile.json");

    private string QuarantineOf(string day) => _env.PathOf($"data/quarantine/date={day}/weather.csv");

    private ValidationSummary Summarize(IEnumerable<string> days, string output)
    {
        var list = days.ToList();
        return new ValidationSummary
        {
            BuildEngine = _engine,
            Profiles = [.. list.Select(d => (ITaskItem)new TaskItem(ProfileOf(d)))],
            Quarantine = [.. list.Select(d => (ITaskItem)new TaskItem(QuarantineOf(d)))],
            Summary = _env.PathOf(output),
        };
    }
}
