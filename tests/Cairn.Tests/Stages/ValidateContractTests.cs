using System.Text.Json;
using Cairn.Tests.Support;

namespace Cairn.Tests.Stages;

public sealed class ValidateContractTests : IDisposable
{
    private const string SmallContract = """
        columns:
          - name: date
            type: date
            partition_key: true
          - name: amount
            type: number
            min: 0
            max: 10
          - name: count
            type: integer
            nullable: true
          - name: kind
            type: category
            allowed: [a, b]
          - name: note
            type: string
            nullable: true
        """;

    private readonly TestEnvironment _env = new();
    private readonly RecordingBuildEngine _engine = new();
    private readonly StageRunner _stages;

    public ValidateContractTests() => _stages = new StageRunner(_env, _engine);

    public void Dispose() => _env.Dispose();

    [Fact]
    public void Profile_numbers_match_a_hand_computed_example()
    {
        _stages.IngestText("""
            date,amount,count,kind,note
            2012-01-04,1.5,3,a,x
            2012-01-04,2.25,,b,
            2012-01-05,12,2,a,y
            2012-01-04,abc,x,c,z
            2012-01-04,0.1,2,b

            """);
        var validate = _stages.Validate(_env.WriteFile("contract.yaml", SmallContract));

        validate.Execute().ShouldBeTrue(_engine.Log);

        // amount: 1.5, 2.25, 12 and 0.1 parse ('abc' does not): mean 15.85 / 4; 12 and 'abc' are violations.
        // count: 3, 2, 2 parse, one null, 'x' is a violation: mean 7 / 3 rounded to 6 decimals.
        // Rows 3 (amount 12), 4 ('abc', 'x', 'c') and 5 (4 fields) have violations; row 5 is the read error.
        File.ReadAllText(_stages.Profile).ShouldBe("""
            {
              "rows": 5,
              "rows_with_violations": 3,
              "rows_with_read_errors": 1,
              "columns": {
                "date": {
                  "type": "date",
                  "nulls": 0,
                  "violations": 0,
                  "min": "2012-01-04",
                  "max": "2012-01-05"
                },
                "amount": {
                  "type": "number",
                  "nulls": 0,
                  "violations": 2,
                  "min": 0.1,
                  "max": 12,
                  "mean": 3.9625
                },
                "count": {
                  "type": "integer",
                  "nulls": 1,
                  "violations": 1,
                  "min": 2,
                  "max": 3,
                  "mean": 2.333333
                },
                "kind": {
                  "type": "category",
                  "nulls": 0,
                  "violations": 1,
                  "counts": {
                    "a": 2,
                    "b": 2,
                    "c": 1
                  }
                },
                "note": {
                  "type": "string",
                  "nulls": 2,
                  "violations": 0
                }
              }
            }

            """);
        validate.Rows.ShouldBe(5);
        validate.RowsWithViolations.ShouldBe(3);
    }

    [Fact]
    public void Profile_is_utf8_without_bom_with_lf_line_ends()
    {
        _stages.IngestText($"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n");

        _stages.Validate(SampleData.WeatherContract).Execute().ShouldBeTrue(_engine.Log);

        var bytes = File.ReadAllBytes(_stages.Profile);
        bytes[0].ShouldBe((byte)'{');
        bytes.ShouldNotContain((byte)'\r');
        bytes[^1].ShouldBe((byte)'\n');
    }

    [Fact]
    public void Statistics_without_values_are_null()
    {
        _stages.IngestText("date,amount,count,kind,note\n");

        _stages.Validate(_env.WriteFile("contract.yaml", SmallContract)).Execute().ShouldBeTrue(_engine.Log);

        var amount = JsonDocument.Parse(File.ReadAllText(_stages.Profile)).RootElement.GetProperty("columns").GetProperty("amount");
        amount.GetProperty("mean").ValueKind.ShouldBe(JsonValueKind.Null);
        amount.GetProperty("min").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public void Whole_sample_keeps_the_shipped_contract_and_is_profiled()
    {
        _stages.Ingest(SampleData.WeatherCsv).Execute().ShouldBeTrue(_engine.Log);
        var validate = _stages.Validate(SampleData.WeatherContract);

        validate.Execute().ShouldBeTrue(_engine.Log);

        validate.Rows.ShouldBe(1461);
        validate.RowsWithViolations.ShouldBe(0);
        var columns = JsonDocument.Parse(File.ReadAllText(_stages.Profile)).RootElement.GetProperty("columns");
        columns.GetProperty("date").GetProperty("min").GetString().ShouldBe("2012-01-01");
        columns.GetProperty("date").GetProperty("max").GetString().ShouldBe("2015-12-31");
        columns.GetProperty("temp_min").GetProperty("min").GetDouble().ShouldBe(-7.1);
        columns.GetProperty("precipitation").GetProperty("max").GetDouble().ShouldBe(55.9);
        columns.GetProperty("weather").GetProperty("counts").EnumerateObject().Select(p => p.Name)
            .ShouldBe(["drizzle", "fog", "rain", "snow", "sun"]);
        columns.GetProperty("weather").GetProperty("counts").EnumerateObject().Sum(p => p.Value.GetInt64()).ShouldBe(1461);
    }

    [Fact]
    public void Row_violations_do_not_fail_validation()
    {
        _stages.IngestText($"{SampleData.Header}\n2012-01-02,-3,10.6,2.8,4.5,hail\n");
        var validate = _stages.Validate(SampleData.WeatherContract);

        validate.Execute().ShouldBeTrue();

        _engine.AssertNoErrors();
        validate.RowsWithViolations.ShouldBe(1);
    }

    [Fact]
    public void Partition_makes_a_date_outside_it_count_as_a_violation()
    {
        _stages.IngestText($"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n{SampleData.Day("2012-01-03")}\n");

        var without = _stages.Validate(SampleData.WeatherContract);
        without.Execute().ShouldBeTrue(_engine.Log);
        var with = _stages.Validate(SampleData.WeatherContract, partition: "2012-01-02");
        with.Execute().ShouldBeTrue(_engine.Log);

        without.RowsWithViolations.ShouldBe(0);
        with.RowsWithViolations.ShouldBe(1);
    }

    [Fact]
    public void Partition_that_is_not_a_date_fails()
    {
        _stages.IngestText($"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n");

        _stages.Validate(SampleData.WeatherContract, partition: "2012-1-2").Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN2006").ShouldBe("CAIRN2006: Partition '2012-1-2' is not a partition key: give an hour YYYY-MM-DDTHH, a day YYYY-MM-DD or a month YYYY-MM (bind it to {partition} in the pipeline file).");
    }

    [Theory]
    [InlineData("2012-01", 1)]
    [InlineData("2012-01-02T05", 2)]
    [InlineData("2012-01-03", 3)]
    [InlineData("2012-02", 2)]
    public void A_partition_of_any_grain_holds_the_partition_key_dates_of_its_days(string partition, int violations)
    {
        _stages.IngestText($"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n{SampleData.Day("2012-01-31")}\n{SampleData.Day("2012-02-01")}\n");

        var validate = _stages.Validate(SampleData.WeatherContract, partition: partition);

        validate.Execute().ShouldBeTrue(_engine.Log);
        validate.RowsWithViolations.ShouldBe(violations);
    }

    [Theory]
    [InlineData("2012-01-02T24")]
    [InlineData("2012-13")]
    [InlineData("2012-01-02 05")]
    public void A_partition_that_is_no_key_of_any_grain_fails(string partition)
    {
        _stages.IngestText($"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n");

        _stages.Validate(SampleData.WeatherContract, partition: partition).Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN2006").ShouldStartWith($"CAIRN2006: Partition '{partition}' is not a partition key");
    }

    [Fact]
    public void Missing_column_fails_naming_the_file_the_column_and_the_fix()
    {
        _stages.IngestText("date,precipitation,temp_max,temp_min,weather\n2012-01-02,10.9,10.6,2.8,rain\n");

        _stages.Validate(SampleData.WeatherContract).Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN2001").ShouldBe(
            $"CAIRN2001: {_stages.Ingested} has no column 'wind', which {SampleData.WeatherContract} requires (contract column 5). Fix: add the column to the data, or remove it from the contract.");
        File.Exists(_stages.Profile).ShouldBeFalse();
    }

    [Fact]
    public void Extra_column_fails_naming_the_file_the_column_and_the_fix()
    {
        _stages.IngestText($"{SampleData.Header},gust\n{SampleData.Day("2012-01-02")},9.1\n");

        _stages.Validate(SampleData.WeatherContract).Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN2002").ShouldBe(
            $"CAIRN2002: {_stages.Ingested} column 7 'gust' is not declared in {SampleData.WeatherContract}. Fix: declare it in the contract, or drop it from the data.");
    }

    [Fact]
    public void Renamed_column_fails_naming_both_names_and_the_fix()
    {
        _stages.IngestText($"date,precipitation,temp_hi,temp_min,wind,weather\n{SampleData.Day("2012-01-02")}\n");

        _stages.Validate(SampleData.WeatherContract).Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN2003").ShouldBe(
            $"CAIRN2003: {_stages.Ingested} column 3 is 'temp_hi' where {SampleData.WeatherContract} expects 'temp_max' (renamed?). Fix: rename the column back to 'temp_max', or rename it in the contract.");
        _engine.Errors.Count.ShouldBe(1);
    }

    [Fact]
    public void Every_header_problem_is_reported_at_once()
    {
        _stages.IngestText("date,rain_mm,temp_max,temp_min,weather,gust\n2012-01-02,10.9,10.6,2.8,rain,1\n");

        _stages.Validate(SampleData.WeatherContract).Execute().ShouldBeFalse();

        _engine.Errors.Select(e => e[..9]).ShouldBe(["CAIRN2003", "CAIRN2001", "CAIRN2002"]);
    }

    [Fact]
    public void Malformed_contract_fails_naming_the_contract_and_the_key()
    {
        _stages.IngestText($"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n");
        var contract = _env.WriteFile("contract.yaml", "columns:\n  - name: date\n    type: day\n");

        _stages.Validate(contract).Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN2000").ShouldBe(
            $"CAIRN2000: {contract} line 3, column 11: columns[0].type: 'day' is not a type. Valid types: date, number, integer, category, string, boolean, timestamp.");
    }

    [Fact]
    public void Csv_that_is_not_an_ingest_output_is_validated_as_a_plain_table_read_as_the_ingest_reads_it()
    {
        _env.WriteFile("stages/ingested.csv", $"\uFEFF Date ,Precipitation,temp_max,temp_min,wind,weather\r\n{SampleData.Day("2012-01-02")}\r\n 2012-01-02 , 0 ,1,2,3,\"hail\"\r\n2012-01-02,1,2,3\r\n");
        var validate = _stages.Validate(SampleData.WeatherContract, partition: "2012-01-02");

        validate.Execute().ShouldBeTrue(_engine.Log);

        // Row 3 is trimmed and breaks only the category; row 4 is short (a read error) and its empty wind and weather break the contract.
        validate.Rows.ShouldBe(3);
        validate.RowsWithViolations.ShouldBe(2);
        var profile = JsonDocument.Parse(File.ReadAllText(_stages.Profile)).RootElement;
        profile.GetProperty("rows_with_read_errors").GetInt64().ShouldBe(1);
        profile.GetProperty("columns").GetProperty("weather").GetProperty("counts").GetProperty("hail").GetInt64().ShouldBe(1);
        profile.GetProperty("columns").GetProperty("precipitation").GetProperty("min").GetDouble().ShouldBe(0);
    }

    [Fact]
    public void Input_that_cannot_be_read_fails_naming_it()
    {
        var empty = _env.WriteFile("stages/ingested.csv", string.Empty);

        _stages.Validate(SampleData.WeatherContract).Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN2004").ShouldBe(
            $"CAIRN2004: {empty} is empty (0 bytes), so it has no header. Fix: re-export the file with its header row, or remove it from the partition.");
        File.Exists(_stages.Profile).ShouldBeFalse();
    }

    [Fact]
    public void Running_twice_gives_a_byte_identical_profile()
    {
        _stages.Ingest(SampleData.WeatherCsv).Execute().ShouldBeTrue(_engine.Log);

        _stages.Validate(SampleData.WeatherContract).Execute().ShouldBeTrue(_engine.Log);
        var first = File.ReadAllBytes(_stages.Profile);
        _stages.Validate(SampleData.WeatherContract).Execute().ShouldBeTrue(_engine.Log);

        File.ReadAllBytes(_stages.Profile).ShouldBe(first);
    }
}
