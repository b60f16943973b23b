using Cairn.Stages.Common;
using Cairn.Stages.Tables;
using Cairn.Tests.Support;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Parquet.Schema;

namespace Cairn.Tests.Stages;

/// <summary>Issue 11, item 4: the ingest reads Parquet, keeps its column types, and writes Parquet with pinned settings.</summary>
public sealed class ParquetIngestTests : IDisposable
{
    private static readonly DataField[] TypedFields =
    [
        new DataField<string>("Name", true),
        new DataField<int?>("Count", true),
        new DataField<long?>("Big", true),
        new DataField<double?>("Ratio", true),
        new DataField<float?>("Single", true),
        new DecimalDataField("Price", 10, 2, isNullable: true),
        new DataField<bool?>("Flag", true),
        new DataField<DateOnly?>("Day", true),
        new DateTimeDataField("Seen", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
    ];

    private readonly TestEnvironment _env = new();
    private readonly RecordingBuildEngine _engine = new();
    private readonly TableStages _stages;

    public ParquetIngestTests() => _stages = new TableStages(_engine);

    public void Dispose() => _env.Dispose();

    [Fact]
    public void Parquet_columns_keep_their_types_in_a_parquet_output_and_are_written_to_csv_exactly()
    {
        var raw = TypedFile("raw/typed.parquet");

        var parquet = _stages.Ingested(_env.PathOf("out/typed.parquet"), raw);
        var csv = _stages.Ingested(_env.PathOf("out/typed.csv"), parquet);

        ParquetFiles.Describe(parquet).ShouldBe(
        [
            "name ReadOnlyMemory`1?", "count Int32?", "big Int64?", "ratio Double?", "single Single?", "price Decimal?", "flag Boolean?",
            "day DateOnly?", "seen DateTime?", "_source ReadOnlyMemory`1?", "_error ReadOnlyMemory`1?",
        ]);
        File.ReadAllText(csv).ShouldBe(
            "name,count,big,ratio,single,price,flag,day,seen,_source,_error\n" +
            "\"a \"\"quoted\"\", name\",-12,9007199254740993,0.1,1.5,12.34,true,2013-05-03,2013-05-03T05:17:00.000012Z,typed.parquet:1,\n" +
            ",,,,,,,,,typed.parquet:2,\n" +
            " spaced ,0,-1,-0,-1E-07,-0.01,false,0001-01-01,2013-05-03T05:17:00Z,typed.parquet:3,\n");
    }

    [Fact]
    public void Parquet_output_is_the_same_bytes_when_written_twice_with_the_pinned_writer()
    {
        var raw = _env.WriteFile("raw/weather.csv", $"{SampleData.Header}\n{string.Join('\n', File.ReadLines(SampleData.WeatherCsv).Skip(1).Take(500))}\n");

        var first = File.ReadAllBytes(_stages.Ingested(_env.PathOf("one/weather.parquet"), raw));
        var second = File.ReadAllBytes(_stages.Ingested(_env.PathOf("two/weather.parquet"), raw));

        second.ShouldBe(first);
        ParquetFiles.Codecs(_env.PathOf("one/weather.parquet")).ShouldBe(["SNAPPY"]);

        // created_by is Parquet.Net's own version: an upgrade of the pinned package changes every Parquet output's bytes.
        // When this fails after an upgrade, update ParquetSettings.CreatedBy and say in the commit that outputs re-run.
        ParquetFiles.CreatedBy(_env.PathOf("one/weather.parquet")).ShouldBe(ParquetSettings.CreatedBy);
    }

    [Fact]
    public void Header_only_csv_gives_a_parquet_file_without_rows_that_reads_back()
    {
        var raw = _env.WriteFile("raw/weather.csv", SampleData.Header + "\n");

        var parquet = _stages.Ingested(_env.PathOf("out/weather.parquet"), raw);

        ParquetFiles.RowGroupRows(parquet).ShouldBeEmpty();
        File.ReadAllText(_stages.Ingested(_env.PathOf("out/weather.csv"), parquet)).ShouldBe(SampleData.Header + ",_source,_error\n");
    }

    [Fact]
    public void Several_parquet_files_of_a_day_are_written_in_order_each_row_with_its_file_and_row()
    {
        var first = TypedFile("raw/part-0.parquet");
        var second = TypedFile("raw/part-1.parquet");

        var ingest = _stages.Ingest(_env.PathOf("out/day.csv"), first, second);
        ingest.Execute().ShouldBeTrue(_engine.Log);

        (ingest.FilesRead, ingest.RowsIn).ShouldBe((2L, 6L));
        File.ReadLines(_env.PathOf("out/day.csv")).Skip(1).Select(l => l.Split(',')[^2]).ShouldBe(
            ["part-0.parquet:1", "part-0.parquet:2", "part-0.parquet:3", "part-1.parquet:1", "part-1.parquet:2", "part-1.parquet:3"]);
    }

    [Theory]
    [InlineData("", "out/day.parquet", "PAR1")]
    [InlineData("parquet", "out/day.data", "PAR1")]
    [InlineData("csv", "out/day.data", "date,")]
    [InlineData("", "out/day.data", "date,")]
    [InlineData("PARQUET", "out/day.parquet", "PAR1")]
    public void Output_format_is_the_parameter_or_else_the_output_extension(string format, string output, string start)
    {
        var raw = _env.WriteFile("raw/weather.csv", $"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n");
        var ingest = _stages.Ingest(_env.PathOf(output), raw);
        ingest.OutputFormat = format;

        ingest.Execute().ShouldBeTrue(_engine.Log);

        File.ReadAllText(_env.PathOf(output)).ShouldStartWith(start);
    }

    [Fact]
    public void Output_format_that_contradicts_the_output_extension_fails_naming_both()
    {
        var raw = _env.WriteFile("raw/weather.csv", $"{SampleData.Header}\n");
        var output = _env.PathOf("out/day.csv");
        var ingest = _stages.Ingest(output, raw);
        ingest.OutputFormat = "parquet";

        ingest.Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN1007").ShouldBe($"CAIRN1007: OutputFormat is parquet, but the output {output} is named .csv. Fix: name the output .parquet, or leave OutputFormat empty.");
        File.Exists(output).ShouldBeFalse();
    }

    [Fact]
    public void Format_parameter_that_is_not_a_format_fails_listing_the_formats()
    {
        var raw = _env.WriteFile("raw/weather.csv", $"{SampleData.Header}\n");
        var ingest = _stages.Ingest(_env.PathOf("out/day.csv"), raw);
        ingest.InputFormat = "xlsx";

        ingest.Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN1007").ShouldBe("CAIRN1007: InputFormat 'xlsx' is not a format. Fix: set it to one of csv, parquet, or leave it empty to go by each file's extension.");
    }

    [Fact]
    public void IngestCsv_is_the_same_stage_as_Ingest_under_its_first_name()
    {
        var raw = TypedFile("raw/typed.parquet");
        var alias = new IngestCsv { BuildEngine = _engine, Sources = [new TaskItem(raw)], Output = _env.PathOf("alias/typed.csv") };

        alias.Execute().ShouldBeTrue(_engine.Log);

        File.ReadAllBytes(alias.Output).ShouldBe(File.ReadAllBytes(_stages.Ingested(_env.PathOf("ingest/typed.csv"), raw)));
        new IngestCsv { BuildEngine = _engine, Sources = [], Output = alias.Output }.Execute().ShouldBeFalse();
        _engine.AssertError("CAIRN1000").ShouldStartWith("CAIRN1000: IngestCsv was given no source files.");
    }

    /// <summary>Three rows: every type with a value (a text that needs quotes, an exact big integer, 0.1, a fraction of a microsecond lost to the unit), all nulls, and edge values.</summary>
    private string TypedFile(string relative)
    {
        var seen = new DateTime(2013, 5, 3, 5, 17, 0, DateTimeKind.Utc);
        return ParquetFiles.Write(
            _env.PathOf(relative),
            TypedFields,
            [
                new string?[] { "a \"quoted\", name", null, " spaced " },
                new int?[] { -12, null, 0 },
                new long?[] { 9007199254740993, null, -1 },
                new double?[] { 0.1, null, -0.0 },
                new float?[] { 1.5f, null, -1e-7f },
                new decimal?[] { 12.34m, null, -0.01m },
                new bool?[] { true, null, false },
                new DateOnly?[] { new DateOnly(2013, 5, 3), null, DateOnly.MinValue },
                new DateTime?[] { seen.AddTicks(120), null, seen },
            ]);
    }
}
