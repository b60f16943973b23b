using System.Text;
using Cairn.Stages.Common;
using Cairn.Tests.Support;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Cairn.Tests.Stages;

public sealed class IngestCsvTests : IDisposable
{
    private const string OutputHeader = SampleData.Header + ",_source,_error";

    private readonly TestEnvironment _env = new();
    private readonly RecordingBuildEngine _engine = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public void Day_cut_from_the_sample_is_written_with_its_source_line_and_an_empty_error()
    {
        var raw = _env.WriteFile("raw/date=2012-01-02/part-0.csv", $"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n");

        var task = Run(raw);

        task.Execute().ShouldBeTrue();
        _engine.AssertNoErrors();
        Output().ShouldBe($"{OutputHeader}\n2012-01-02,10.9,10.6,2.8,4.5,rain,part-0.csv:2,\n");
        task.FilesRead.ShouldBe(1);
        task.RowsIn.ShouldBe(1);
    }

    [Fact]
    public void Byte_order_mark_is_stripped_and_not_written()
    {
        var raw = _env.WriteBytes("raw/part-0.csv", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes($"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n")]);

        Run(raw).Execute().ShouldBeTrue();

        var bytes = File.ReadAllBytes(_env.PathOf("out/ingested.csv"));
        bytes[0].ShouldBe((byte)'d');
        Output().ShouldStartWith(OutputHeader + "\n");
    }

    [Fact]
    public void Crlf_line_ends_give_the_same_output_as_lf()
    {
        var lf = _env.WriteFile("lf/part-0.csv", $"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n{SampleData.Day("2012-01-03")}\n");
        var crlf = _env.WriteFile("crlf/part-0.csv", $"{SampleData.Header}\r\n{SampleData.Day("2012-01-02")}\r\n{SampleData.Day("2012-01-03")}\r\n");

        Run(lf).Execute().ShouldBeTrue();
        var fromLf = Output();
        Run(crlf).Execute().ShouldBeTrue();

        Output().ShouldBe(fromLf);
        fromLf.ShouldNotContain("\r");
    }

    [Fact]
    public void Quoted_comma_and_doubled_quote_stay_inside_one_field()
    {
        var raw = _env.WriteFile("raw/part-0.csv", "id,note\n1,\"wet, windy\"\n2,\"a \"\"squall\"\"\"\n");

        Run(raw).Execute().ShouldBeTrue();

        Output().ShouldBe("id,note,_source,_error\n1,\"wet, windy\",part-0.csv:2,\n2,\"a \"\"squall\"\"\",part-0.csv:3,\n");
        IngestedTable.Read(_env.PathOf("out/ingested.csv")).Rows.Select(r => r.Values[1]).ShouldBe(["wet, windy", "a \"squall\""]);
    }

    [Fact]
    public void Header_names_are_trimmed_and_lower_cased_and_fields_are_trimmed()
    {
        var raw = _env.WriteFile("raw/part-0.csv", " Date ,Temp_Max\t\n 2012-01-02 , \" 10.6 \"\n");

        Run(raw).Execute().ShouldBeTrue();

        Output().ShouldBe("date,temp_max,_source,_error\n2012-01-02,10.6,part-0.csv:2,\n");
    }

    [Fact]
    public void Row_with_too_many_fields_keeps_the_header_width_and_says_why()
    {
        var raw = _env.WriteFile("raw/part-0.csv", $"{SampleData.Header}\n2012-01-02,10,9,10.6,2.8,4.5,rain\n");

        var task = Run(raw);

        task.Execute().ShouldBeTrue();
        Output().ShouldBe($"{OutputHeader}\n2012-01-02,10,9,10.6,2.8,4.5,part-0.csv:2,\"row has 7 fields, header has 6\"\n");
        task.RowsIn.ShouldBe(1);
    }

    [Fact]
    public void Row_with_too_few_fields_is_padded_with_empty_values_and_says_why()
    {
        var raw = _env.WriteFile("raw/part-0.csv", $"{SampleData.Header}\n2012-01-02,10.9,10.6\n");

        Run(raw).Execute().ShouldBeTrue();

        Output().ShouldBe($"{OutputHeader}\n2012-01-02,10.9,10.6,,,,part-0.csv:2,\"row has 3 fields, header has 6\"\n");
    }

    [Fact]
    public void Stray_quote_is_kept_as_text_and_reported_as_malformed_quoting()
    {
        var raw = _env.WriteFile("raw/part-0.csv", "id,note\n1,5\"2\n");

        Run(raw).Execute().ShouldBeTrue();

        Output().ShouldBe("id,note,_source,_error\n1,\"5\"\"2\",part-0.csv:2,malformed quoting: a quote inside an unquoted field\n");
    }

    [Fact]
    public void Quote_that_is_never_closed_keeps_the_rest_of_the_file_in_one_row_that_says_why()
    {
        var raw = _env.WriteFile("raw/part-0.csv", "id,note\n1,\"abc\n2,x\n");

        var task = Run(raw);

        task.Execute().ShouldBeTrue();
        Output().ShouldBe("id,note,_source,_error\n1,\"abc\n2,x\",part-0.csv:2,malformed quoting: a quoted field is never closed\n");
        task.RowsIn.ShouldBe(1);
    }

    [Fact]
    public void Source_line_counts_blank_lines_and_line_breaks_inside_quotes()
    {
        var raw = _env.WriteFile("raw/part-0.csv", "id,note\n\n1,\"two\nlines\"\n   \n2,x\n");

        Run(raw).Execute().ShouldBeTrue();

        IngestedTable.Read(_env.PathOf("out/ingested.csv")).Rows.Select(r => r.Source).ShouldBe(["part-0.csv:3", "part-0.csv:6"]);
    }

    [Fact]
    public void Several_files_of_a_day_are_written_in_the_given_order_each_with_its_own_source()
    {
        var first = _env.WriteFile("raw/date=2012-01-02/part-0.csv", $"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n");
        var second = _env.WriteFile("raw/date=2012-01-02/part-1.csv", $"{SampleData.Header.ToUpperInvariant()}\r\n\r\n2012-01-02,0.5,10.6,2.8,4.5,rain\r\n");

        var task = Run(first, second);

        task.Execute().ShouldBeTrue();
        Output().ShouldBe(
            $"{OutputHeader}\n2012-01-02,10.9,10.6,2.8,4.5,rain,part-0.csv:2,\n2012-01-02,0.5,10.6,2.8,4.5,rain,part-1.csv:3,\n");
        task.FilesRead.ShouldBe(2);
        task.RowsIn.ShouldBe(2);
    }

    [Fact]
    public void Files_of_a_day_with_different_headers_fail_naming_both_files_and_the_column()
    {
        var first = _env.WriteFile("raw/part-0.csv", $"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n");
        var second = _env.WriteFile("raw/part-1.csv", "date,precipitation,temp_hi,temp_min,wind,weather\n2012-01-02,0.5,10.6,2.8,4.5,rain\n");

        Run(first, second).Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN1002").ShouldBe(
            $"CAIRN1002: {second} header differs from {first} at column 3: 'temp_hi' in {second}, 'temp_max' in {first}. Fix: every file of a partition must have the same header; correct the one that is wrong.");
        File.Exists(_env.PathOf("out/ingested.csv")).ShouldBeFalse();
    }

    [Fact]
    public void File_with_a_column_fewer_than_the_first_fails_saying_which_column_it_lacks()
    {
        var first = _env.WriteFile("raw/part-0.csv", $"{SampleData.Header}\n");
        var second = _env.WriteFile("raw/part-1.csv", "date,precipitation,temp_max,temp_min,wind\n");

        Run(first, second).Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN1002").ShouldContain($"at column 6: no column in {second}, 'weather' in {first}.");
    }

    [Fact]
    public void Empty_file_fails_naming_the_file()
    {
        var raw = _env.WriteFile("raw/part-0.csv", string.Empty);

        Run(raw).Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN1001").ShouldBe(
            $"CAIRN1001: {raw} is empty (0 bytes), so it has no header. Fix: re-export the file with its header row, or remove it from the partition.");
    }

    [Fact]
    public void File_of_blank_lines_has_no_header_and_fails_naming_the_file()
    {
        var raw = _env.WriteFile("raw/part-0.csv", "\r\n  \n\n");

        Run(raw).Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN1001").ShouldBe(
            $"CAIRN1001: {raw} has no header row, only blank lines. Fix: re-export the file with its header row, or remove it from the partition.");
    }

    [Fact]
    public void Header_only_file_gives_zero_rows_and_a_warning()
    {
        var raw = _env.WriteFile("raw/part-0.csv", SampleData.Header + "\n");

        var task = Run(raw);

        task.Execute().ShouldBeTrue();
        _engine.AssertNoErrors();
        _engine.Warnings.ShouldBe([$"CAIRN1101: {raw} has a header but no data rows; it adds no rows."]);
        Output().ShouldBe(OutputHeader + "\n");
        task.RowsIn.ShouldBe(0);
    }

    [Fact]
    public void No_sources_fail()
    {
        Run().Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN1000").ShouldBe(
            "CAIRN1000: IngestCsv was given no source files. Fix: pass the partition's raw CSV or Parquet files as Sources (for example raw/date=2012-01-01/*.csv).");
    }

    [Fact]
    public void Missing_source_file_fails_naming_it()
    {
        var absent = _env.PathOf("raw/part-9.csv");

        Run(absent).Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN1004").ShouldStartWith($"CAIRN1004: {absent} cannot be read: ");
    }

    [Fact]
    public void File_that_is_not_utf8_fails_naming_the_line()
    {
        var raw = _env.WriteBytes("raw/part-0.csv", [.. Encoding.UTF8.GetBytes("id,city\n1,Z"), 0xFC, .. Encoding.UTF8.GetBytes("rich\n")]);

        Run(raw).Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN1004").ShouldBe($"CAIRN1004: {raw} line 2 is not valid UTF-8. Fix: re-export the file as UTF-8.");
    }

    [Fact]
    public void Utf16_file_fails_saying_it_is_utf16()
    {
        var raw = _env.WriteBytes("raw/part-0.csv", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("id,note\n1,2\n")]);

        Run(raw).Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN1004").ShouldBe($"CAIRN1004: {raw} is UTF-16 text (it starts with a UTF-16 byte order mark). Fix: re-export the file as UTF-8.");
    }

    [Theory]
    [InlineData("id,,note", "header column 2 has no name")]
    [InlineData("id,note,ID", "header column 3 'id' repeats column 1")]
    [InlineData("id,_source", "header column 2 is named '_source', which the ingest adds itself")]
    public void Unusable_header_fails_naming_the_file_line_and_column(string header, string problem)
    {
        var raw = _env.WriteFile("raw/part-0.csv", $"\n{header}\n1,2,3\n");

        Run(raw).Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN1003").ShouldBe($"CAIRN1003: {raw} line 2: {problem}. Fix: give every column a distinct name in the file's header.");
    }

    [Fact]
    public void Every_bad_file_is_reported_in_one_run()
    {
        var empty = _env.WriteFile("raw/part-0.csv", string.Empty);
        var blank = _env.WriteFile("raw/part-1.csv", "\n");

        Run(empty, blank).Execute().ShouldBeFalse();

        _engine.Errors.Count.ShouldBe(2);
    }

    [Fact]
    public void Running_twice_gives_byte_identical_output()
    {
        var raw = _env.WriteFile(
            "raw/part-0.csv",
            $"\uFEFF{SampleData.Header}\r\n{SampleData.Day("2012-01-02")}\r\n2012-01-02,\"1,5\",x\r\n 2012-01-02 , 0 ,1,2,3,\"fog\"\r\n");

        Run(raw).Execute().ShouldBeTrue();
        var first = File.ReadAllBytes(_env.PathOf("out/ingested.csv"));
        Run(raw).Execute().ShouldBeTrue();

        File.ReadAllBytes(_env.PathOf("out/ingested.csv")).ShouldBe(first);
    }

    private IngestCsv Run(params string[] sources) => new()
    {
        BuildEngine = _engine,
        Sources = [.. sources.Select(s => (ITaskItem)new TaskItem(s))],
        Output = _env.PathOf("out/ingested.csv"),
    };

    private string Output() => _env.ReadFile("out/ingested.csv");
}
