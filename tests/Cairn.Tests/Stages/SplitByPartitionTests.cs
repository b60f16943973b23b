using System.Globalization;
using System.Text;
using Cairn.Stages.Common;
using Cairn.Stages.Tables;
using Cairn.Tests.Support;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Parquet.Schema;

namespace Cairn.Tests.Stages;

/// <summary>
/// Issue 11, item 2 (the gaps left): the built-in landing stage streams its sources through the table readers and
/// writers: a quoted field across lines survives, Parquet sources fan out, the bytes depend on the rows only (not on
/// their order across partitions, nor on how many partitions were open at once), and a row it cannot carry fails
/// the cell naming the file and line. <see cref="CommandLine.FanOutCommandLineTests"/> run it through <c>./build.sh</c>.
/// </summary>
public sealed class SplitByPartitionTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    private readonly RecordingBuildEngine _engine = new();

    public void Dispose() => _env.Dispose();

    [Theory]
    [InlineData("csv")]
    [InlineData("parquet")]
    public void Rows_in_any_order_over_more_partitions_than_are_open_at_once_give_the_bytes_of_a_source_in_order(string format)
    {
        // 40 days, more than PartitionWriters.MaxOpen; one day holds more rows than a partition keeps before writing.
        var rows = new List<(string Day, string Line)>();
        for (var i = 0; i < 12_000; i++)
        {
            var day = i < 6000 ? "2024-01-05" : new DateOnly(2024, 1, 1).AddDays(i % 40).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            rows.Add((day, FormattableString.Invariant($"{day},{i},\"note, {i}\"")));
        }

        var random = new Random(11);
        var shuffled = rows.OrderBy(_ => random.Next()).ToList();
        var ordered = shuffled.Select((r, i) => (r, i)).OrderBy(x => x.r.Day, StringComparer.Ordinal).ThenBy(x => x.i).Select(x => x.r).ToList();
        var header = "day,n,note\n";
        var a = Split([_env.WriteFile("shuffled/rows.csv", header + string.Concat(shuffled.Select(r => r.Line + "\n")))], $"a/day={{partition}}/part.{format}");
        var b = Split([_env.WriteFile("ordered/rows.csv", header + string.Concat(ordered.Select(r => r.Line + "\n")))], $"b/day={{partition}}/part.{format}");

        a.Execute().ShouldBeTrue(_engine.Log);
        b.Execute().ShouldBeTrue(_engine.Log);

        a.PartitionsWritten.ShouldBe(40);
        a.RowsIn.ShouldBe(12_000);
        var days = Directory.GetDirectories(_env.PathOf("a")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        days.Count.ShouldBe(40);
        Directory.GetDirectories(_env.PathOf("b")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(days);
        foreach (var day in days)
        {
            File.ReadAllBytes(_env.PathOf($"a/{day}/part.{format}")).ShouldBe(File.ReadAllBytes(_env.PathOf($"b/{day}/part.{format}")), day);
            Directory.GetFiles(_env.PathOf($"a/{day}")).Length.ShouldBe(1, "no segment file is left behind");
        }

        var big = _env.PathOf($"a/day=2024-01-05/part.{format}");
        if (format == "parquet")
        {
            ParquetFiles.RowGroupRows(big).ShouldBe([6150]);
        }
        else
        {
            File.ReadLines(big).Count().ShouldBe(6151);
            File.ReadLines(big).First().ShouldBe("day,n,note");
        }
    }

    [Fact]
    public void A_quoted_field_across_lines_is_one_value_and_is_written_quoted()
    {
        var source = _env.WriteFile("raw/a.csv", "day,carrier,delay\n2024-03-01,\"Delta\nAir Lines\",5\n2024-03-02, UA ,7\n2024-03-01,\"say \"\"hi\"\"\",1\n");
        var split = Split([source], "out/date={partition}/part.csv");

        split.Execute().ShouldBeTrue(_engine.Log);

        File.ReadAllText(_env.PathOf("out/date=2024-03-01/part.csv")).ShouldBe("day,carrier,delay\n2024-03-01,\"Delta\nAir Lines\",5\n2024-03-01,\"say \"\"hi\"\"\",1\n");
        File.ReadAllText(_env.PathOf("out/date=2024-03-02/part.csv")).ShouldBe("day,carrier,delay\n2024-03-02,UA,7\n");
        split.RowsIn.ShouldBe(3);
    }

    [Fact]
    public void A_parquet_source_is_cut_by_a_timestamp_into_hours_keeping_its_column_types()
    {
        var fields = new DataField[]
        {
            new DateTimeDataField("Departed", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: false),
            new DataField<string>("Carrier", true),
            new DataField<int?>("Delay", true),
        };
        var at = (int hour, int minute) => new DateTime(2024, 3, 1, hour, minute, 0, DateTimeKind.Utc);
        var source = ParquetFiles.Write(
            _env.PathOf("raw/flights.parquet"),
            fields,
            [ParquetFiles.Of(at(5, 10), at(6, 0), at(5, 59)), ParquetFiles.Text("AA", "line\nbreak", null), ParquetFiles.Ints(1, null, 3)],
            [ParquetFiles.Of(at(7, 1)), ParquetFiles.Text("UA"), ParquetFiles.Ints(4)]);
        var split = Split([source], "out/hour={partition}/part.parquet", "hour");
        var csv = Split([source], "csv/hour={partition}/part.csv", "hour");

        split.Execute().ShouldBeTrue(_engine.Log);
        csv.Execute().ShouldBeTrue(_engine.Log);

        Directory.GetDirectories(_env.PathOf("out")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["hour=2024-03-01T05", "hour=2024-03-01T06", "hour=2024-03-01T07"]);
        ParquetFiles.Describe(_env.PathOf("out/hour=2024-03-01T05/part.parquet")).ShouldBe(["departed DateTime", "carrier ReadOnlyMemory`1?", "delay Int32?"]);
        ParquetFiles.RowGroupRows(_env.PathOf("out/hour=2024-03-01T05/part.parquet")).ShouldBe([2]);
        File.ReadAllText(_env.PathOf("csv/hour=2024-03-01T05/part.csv")).ShouldBe("departed,carrier,delay\n2024-03-01T05:10:00Z,AA,1\n2024-03-01T05:59:00Z,,3\n");
        File.ReadAllText(_env.PathOf("csv/hour=2024-03-01T06/part.csv")).ShouldBe("departed,carrier,delay\n2024-03-01T06:00:00Z,\"line\nbreak\",\n");
    }

    [Fact]
    public void Only_the_selected_partitions_are_written_and_the_rows_outside_are_counted()
    {
        var source = _env.WriteFile("raw/a.csv", "day,v\n2024-03-01,1\n2024-03-02,2\n2024-03-03,3\n2024-03-02,4\n2024-03-05,5\n");
        var split = Split([source], "out/date={partition}/part.csv");
        split.Selection = "2024-03-02..2024-03-03";

        split.Execute().ShouldBeTrue(_engine.Log);

        Directory.GetDirectories(_env.PathOf("out")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(["date=2024-03-02", "date=2024-03-03"]);
        (split.RowsIn, split.RowsOutside, split.PartitionsWritten).ShouldBe((5L, 2L, 2L));
        _engine.Log.ShouldContain("2 of 5 rows fall in 2 partitions outside the selection 2024-03-02..2024-03-03 (2024-03-01 to 2024-03-05): not written, their files left as they are");
    }

    [Theory]
    [InlineData("day,v\n2024-03-01,1\n2024-03-02,2,extra\n", "CAIRN1205", "a.csv:3: row has 3 fields, header has 2. A landing keeps the sources' columns only")]
    [InlineData("day,v\n2024-03-01,1\n,2\n", "CAIRN1201", "a.csv:3: '' in column 'day' cannot name a partition; give the row a day in the form YYYY-MM-DD, or remove it.")]
    [InlineData("v,w\n1,2\n", "CAIRN1200", "has no column 'day' to cut it into partitions by; its columns are v, w.")]
    [InlineData("", "CAIRN1200", "is empty (0 bytes), so it has no header.")]
    public void A_source_or_row_that_cannot_be_landed_fails_the_stage_naming_the_file_and_line(string text, string code, string message)
    {
        var split = Split([_env.WriteFile("raw/a.csv", text)], "out/date={partition}/part.csv");

        split.Execute().ShouldBeFalse();

        _engine.Log.ShouldContain($"{code}: ");
        _engine.Log.ShouldContain(message);
    }

    [Fact]
    public void Sources_with_other_column_types_are_refused_naming_both()
    {
        var csv = _env.WriteFile("raw/a.csv", "day,v\n2024-03-01,1\n");
        var parquet = ParquetFiles.Write(_env.PathOf("raw/b.parquet"), [new DataField<string>("day", true), new DataField<int?>("v", true)], [ParquetFiles.Text("2024-03-01"), ParquetFiles.Ints(1)]);
        var split = Split([csv, parquet], "out/date={partition}/part.csv");

        split.Execute().ShouldBeFalse();

        _engine.Log.ShouldContain($"CAIRN1202: {parquet} column 2 'v' is int32 in {parquet}, string in {csv}. Fix: the sources of one landing share their columns and types");
    }

    private SplitByPartition Split(string[] sources, string output, string grain = "day") => new()
    {
        BuildEngine = _engine,
        Sources = [.. sources.Select(s => (ITaskItem)new TaskItem(s))],
        Output = _env.PathOf(output),
        Column = grain == "hour" ? "departed" : "day",
        Grain = grain,
    };
}
