using System.Text;
using Cairn.Tests.Support;
using Parquet.Schema;

namespace Cairn.Tests.Stages;

/// <summary>
/// Issue 11, bad input, and issue 10 item 10: a damaged or misplaced file fails its cell with a coded error naming the
/// file and the fix; a transient I/O error stays an <see cref="IOException"/>, which the engine retries.
/// </summary>
public sealed class FormatBadInputTests : IDisposable
{
    private static readonly DataField[] Fields = [new DataField<string>("name", true), new DataField<int?>("count", true)];

    private readonly TestEnvironment _env = new();
    private readonly RecordingBuildEngine _engine = new();
    private readonly TableStages _stages;

    public FormatBadInputTests() => _stages = new TableStages(_engine);

    public void Dispose() => _env.Dispose();

    [Fact]
    public void Truncated_parquet_file_fails_ingest_and_validation_naming_the_file_and_the_fix()
    {
        var whole = File.ReadAllBytes(GoodFile("whole/day.parquet"));
        var cut = _env.WriteBytes("raw/day.parquet", whole[..(whole.Length / 2)]);
        var output = _env.PathOf("out/day.parquet");

        _stages.Ingest(output, cut).Execute().ShouldBeFalse();
        _stages.Validate(cut, SmallContract(), _env.PathOf("out/profile.json")).Execute().ShouldBeFalse();

        var message = FormattableString.Invariant($"{cut} is truncated: it does not end with the Parquet footer (PAR1), so it was cut short ({whole.Length / 2:N0} bytes) while being written or copied. Fix: deliver the file again (or re-export it), or remove it from the partition.");
        _engine.AssertError("CAIRN1006").ShouldBe($"CAIRN1006: {message}");
        _engine.AssertError("CAIRN2004").ShouldBe($"CAIRN2004: {message}");
        File.Exists(output).ShouldBeFalse();
    }

    [Fact]
    public void Parquet_file_with_a_row_group_that_lacks_a_column_of_the_schema_fails_naming_the_row_group_and_column()
    {
        // The second row group holds only the first column: Parquet.Net writes what it is given.
        var file = ParquetFiles.Write(
            _env.PathOf("raw/day.parquet"),
            Fields,
            [ParquetFiles.Text("a", "b"), ParquetFiles.Ints(1, 2)],
            [ParquetFiles.Text("c")]);
        var output = _env.PathOf("out/day.csv");

        _stages.Ingest(output, file).Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN1006").ShouldBe(
            $"CAIRN1006: {file} row group 2 of 2 has no data for column 'count': the row group does not match the file's schema. Fix: re-export the file (every row group must hold every column of the schema, as the schema's type).");
        File.Exists(output).ShouldBeFalse();
    }

    [Fact]
    public void File_named_parquet_that_is_not_parquet_fails_saying_what_it_looks_like()
    {
        var text = _env.WriteFile("raw/day.parquet", $"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n");
        var empty = _env.WriteFile("raw/empty.parquet", string.Empty);

        _stages.Ingest(_env.PathOf("out/day.csv"), text).Execute().ShouldBeFalse();
        _stages.Ingest(_env.PathOf("out/empty.csv"), empty).Execute().ShouldBeFalse();

        _engine.Errors.ShouldBe(
        [
            $"CAIRN1006: {text} is not a Parquet file: it does not start with PAR1 (it starts with the text 'date', like a CSV file). Fix: deliver the Parquet export, or name a CSV file .csv.",
            $"CAIRN1006: {empty} is empty (0 bytes), not a Parquet file. Fix: deliver the file again (or re-export it), or remove it from the partition.",
        ]);
    }

    [Fact]
    public void Parquet_file_named_csv_fails_saying_it_is_parquet()
    {
        var file = _env.WriteBytes("raw/day.csv", File.ReadAllBytes(GoodFile("good/day.parquet")));

        _stages.Ingest(_env.PathOf("out/day.csv"), file).Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN1005").ShouldBe($"CAIRN1005: {file} is a Parquet file (it starts with PAR1), not CSV. Fix: name it .parquet, or deliver the CSV export instead.");
    }

    [Fact]
    public void Csv_and_parquet_mixed_in_one_partition_fail_naming_both_or_the_one_of_the_other_format()
    {
        var csv = _env.WriteFile("raw/date=2012-01-02/part-0.csv", "name,count\na,1\n");
        var parquet = GoodFile("raw/date=2012-01-02/part-1.parquet");

        _stages.Ingest(_env.PathOf("out/mixed.csv"), csv, parquet).Execute().ShouldBeFalse();
        var told = _stages.Ingest(_env.PathOf("out/told.csv"), csv, parquet);
        told.InputFormat = "parquet";
        told.Execute().ShouldBeFalse();

        _engine.Errors.ShouldBe(
        [
            $"CAIRN1005: Ingest was given both CSV and Parquet files ({csv}, {parquet}); a partition holds one format. Fix: keep one format in the partition, or narrow Sources (for example to *.parquet) and set InputFormat.",
            $"CAIRN1005: {csv} is a csv file, but Ingest reads parquet (InputFormat). Fix: remove it from the partition, or narrow Sources to *.parquet.",
        ]);
        File.Exists(_env.PathOf("out/mixed.csv")).ShouldBeFalse();
    }

    [Fact]
    public void Parquet_files_of_a_day_with_different_column_types_fail_naming_the_column_and_both_types()
    {
        var first = GoodFile("raw/part-0.parquet");
        var second = ParquetFiles.Write(_env.PathOf("raw/part-1.parquet"), [new DataField<string>("name", true), new DataField<string>("count", true)], [ParquetFiles.Text("a"), ParquetFiles.Text("1")]);

        _stages.Ingest(_env.PathOf("out/day.parquet"), first, second).Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN1002").ShouldBe(
            $"CAIRN1002: {second} column 2 'count' is string in {second}, int32 in {first}. Fix: every file of a partition must have the same column types; correct the one that is wrong.");
    }

    [Fact]
    public void Parquet_column_of_a_type_the_stages_do_not_read_fails_naming_the_column()
    {
        var file = ParquetFiles.Write(_env.PathOf("raw/day.parquet"), [new DataField<byte[]>("blob", true)], [ParquetFiles.Blobs([1, 2])]);

        _stages.Ingest(_env.PathOf("out/day.csv"), file).Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN1006").ShouldBe(
            $"CAIRN1006: {file} column 'blob' is binary (BYTE_ARRAY without a string type), which the built-in stages do not read: they read flat columns of strings, integers, floats, decimals, booleans, dates and timestamps. Fix: write that column as one of those, or leave it out of the file.");
    }

    [Fact]
    public void Csv_that_stops_being_utf8_after_many_rows_fails_naming_the_line_and_leaves_no_output()
    {
        var text = new StringBuilder("name,count\n");
        for (var i = 0; i < 100_000; i++)
        {
            text.Append("row,").Append(i).Append('\n');
        }

        var file = _env.WriteBytes("raw/day.csv", [.. Encoding.UTF8.GetBytes(text.ToString()), .. "caf"u8, 0xE9, .. ",1\n"u8]);
        var output = _env.PathOf("out/day.csv");

        _stages.Ingest(output, file).Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN1004").ShouldBe($"CAIRN1004: {file} line 100002 is not valid UTF-8. Fix: re-export the file as UTF-8.");
        File.Exists(output).ShouldBeFalse();
    }

    [Theory]
    [InlineData("day.csv", 100)]
    [InlineData("day.parquet", 100)]
    public void Io_error_while_reading_stays_an_io_exception_naming_the_file_and_logs_no_coded_error(string name, long failAfter)
    {
        var file = name.EndsWith(".csv", StringComparison.Ordinal)
            ? _env.WriteFile($"raw/{name}", "name,count\n" + string.Concat(Enumerable.Range(0, 1000).Select(i => $"row,{i}\n")))
            : GoodFile($"raw/{name}");
        var ingest = _stages.Ingest(_env.PathOf("out/day.csv"), file);
        ingest.OpenFile = path => new FailingStream(path, failAfter);

        var thrown = Should.Throw<IOException>(() => ingest.Execute());

        thrown.Message.ShouldStartWith($"{file} could not be read: Input/output error");
        thrown.ShouldNotBeAssignableTo<FileNotFoundException>();
        _engine.Errors.ShouldBeEmpty();
    }

    [Fact]
    public void Io_error_while_validating_stays_an_io_exception()
    {
        var file = GoodFile("raw/day.parquet");
        var validate = _stages.Validate(file, SmallContract(), _env.PathOf("out/profile.json"));
        validate.OpenFile = path => new FailingStream(path, 100);

        Should.Throw<IOException>(() => validate.Execute()).Message.ShouldStartWith($"{file} could not be read: Input/output error");
        _engine.Errors.ShouldBeEmpty();
    }

    private string GoodFile(string relative) =>
        ParquetFiles.Write(_env.PathOf(relative), Fields, [ParquetFiles.Text("a", "b", null), ParquetFiles.Ints(1, null, 3)]);

    private string SmallContract() => _env.WriteFile("contract.yaml", "columns:\n  - name: name\n    type: string\n  - name: count\n    type: integer\n    nullable: true\n");
}
