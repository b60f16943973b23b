using System.Text.Json;
using Cairn.Tests.Support;
using Parquet.Schema;

namespace Cairn.Tests.Stages;

/// <summary>
/// Issue 11, item 4: ValidateContract checks any table, CSV or Parquet, and a contract has the types a Parquet file
/// carries (integer, number, string, boolean, date, timestamp). A typed Parquet column is checked as its type; text is parsed.
/// </summary>
public sealed class TypedContractTests : IDisposable
{
    private const string Contract = """
        columns:
          - name: id
            type: integer
            min: 0
            max: 100
          - name: ratio
            type: number
            nullable: true
          - name: day
            type: date
            partition_key: true
          - name: seen
            type: timestamp
            nullable: true
          - name: ok
            type: boolean
          - name: kind
            type: category
            allowed: [a, b]
        """;

    private static readonly DataField[] Fields =
    [
        new DataField<long>("id", false),
        new DataField<double?>("ratio", true),
        new DataField<DateOnly>("day", false),
        new DateTimeDataField("seen", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: true),
        new DataField<bool>("ok", false),
        new DataField<string>("kind", true),
    ];

    private readonly TestEnvironment _env = new();
    private readonly RecordingBuildEngine _engine = new();
    private readonly TableStages _stages;

    public TypedContractTests() => _stages = new TableStages(_engine);

    public void Dispose() => _env.Dispose();

    [Fact]
    public void Typed_parquet_columns_are_checked_as_their_types_and_profiled()
    {
        var file = ParquetFiles.Write(
            _env.PathOf("raw/day.parquet"),
            Fields,
            [
                ParquetFiles.Of(1L, 101L, 7L),
                new double?[] { 0.5, double.NaN, null },
                new[] { new DateOnly(2013, 5, 3), new DateOnly(2013, 5, 4), new DateOnly(2013, 5, 3) },
                new DateTime?[] { new DateTime(2013, 5, 3, 5, 0, 0, DateTimeKind.Utc), null, new DateTime(2013, 5, 3, 6, 30, 0, DateTimeKind.Utc).AddTicks(50) },
                ParquetFiles.Of(true, false, true),
                ParquetFiles.Text("a", "c", null),
            ]);
        var validate = _stages.Validate(file, _env.WriteFile("contract.yaml", Contract), _env.PathOf("out/profile.json"), "2013-05-03");

        validate.Execute().ShouldBeTrue(_engine.Log);

        // Row 2: id above 100, NaN is not a number, a day outside the partition, 'c' not allowed. Row 3: kind is null.
        (validate.Rows, validate.RowsWithViolations).ShouldBe((3L, 2L));
        _env.ReadFile("out/profile.json").ShouldBe("""
            {
              "rows": 3,
              "rows_with_violations": 2,
              "rows_with_read_errors": 0,
              "columns": {
                "id": {
                  "type": "integer",
                  "nulls": 0,
                  "violations": 1,
                  "min": 1,
                  "max": 101,
                  "mean": 36.333333
                },
                "ratio": {
                  "type": "number",
                  "nulls": 1,
                  "violations": 1,
                  "min": 0.5,
                  "max": 0.5,
                  "mean": 0.5
                },
                "day": {
                  "type": "date",
                  "nulls": 0,
                  "violations": 1,
                  "min": "2013-05-03",
                  "max": "2013-05-04"
                },
                "seen": {
                  "type": "timestamp",
                  "nulls": 1,
                  "violations": 0,
                  "min": "2013-05-03T05:00:00Z",
                  "max": "2013-05-03T06:30:00.000005Z"
                },
                "ok": {
                  "type": "boolean",
                  "nulls": 0,
                  "violations": 0,
                  "counts": {
                    "false": 1,
                    "true": 2
                  }
                },
                "kind": {
                  "type": "category",
                  "nulls": 1,
                  "violations": 2,
                  "counts": {
                    "a": 1,
                    "c": 1
                  }
                }
              }
            }

            """);
    }

    [Fact]
    public void The_same_values_as_csv_text_give_the_same_profile()
    {
        var parquet = ParquetFiles.Write(
            _env.PathOf("raw/day.parquet"),
            Fields,
            [
                ParquetFiles.Of(1L, 101L),
                new double?[] { 0.5, null },
                new[] { new DateOnly(2013, 5, 3), new DateOnly(2013, 5, 4) },
                new DateTime?[] { new DateTime(2013, 5, 3, 5, 0, 0, DateTimeKind.Utc), null },
                ParquetFiles.Of(true, false),
                ParquetFiles.Text("a", "c"),
            ]);
        var csv = _env.WriteFile("raw/day.csv", "id,ratio,day,seen,ok,kind\n1,0.5,2013-05-03,2013-05-03T07:00:00+02:00,TRUE,a\n101,,2013-05-04,,false,c\n");
        var contract = _env.WriteFile("contract.yaml", Contract);

        _stages.Validate(parquet, contract, _env.PathOf("out/parquet.json"), "2013-05-03").Execute().ShouldBeTrue(_engine.Log);
        _stages.Validate(csv, contract, _env.PathOf("out/csv.json"), "2013-05-03").Execute().ShouldBeTrue(_engine.Log);

        _env.ReadFile("out/csv.json").ShouldBe(_env.ReadFile("out/parquet.json"));
    }

    [Fact]
    public void Text_that_is_not_a_boolean_or_a_timestamp_is_a_violation()
    {
        var csv = _env.WriteFile("raw/day.csv", "id,ratio,day,seen,ok,kind\n1,0.5,2013-05-03,2013-05-03 24:00:00,yes,a\n");

        var validate = _stages.Validate(csv, _env.WriteFile("contract.yaml", Contract), _env.PathOf("out/profile.json"));
        validate.Execute().ShouldBeTrue(_engine.Log);

        var columns = JsonDocument.Parse(_env.ReadFile("out/profile.json")).RootElement.GetProperty("columns");
        columns.GetProperty("seen").GetProperty("violations").GetInt64().ShouldBe(1);
        columns.GetProperty("ok").GetProperty("violations").GetInt64().ShouldBe(1);
        validate.RowsWithViolations.ShouldBe(1);
    }

    [Fact]
    public void Parquet_column_whose_type_cannot_hold_the_contract_type_fails_naming_both_and_the_fix()
    {
        var file = ParquetFiles.Write(
            _env.PathOf("raw/day.parquet"),
            [new DataField<double>("id", false), new DataField<string>("day", false)],
            [ParquetFiles.Of(1.5), ParquetFiles.Text("2013-05-03")]);
        var contract = _env.WriteFile("contract.yaml", "columns:\n  - name: id\n    type: integer\n  - name: day\n    type: boolean\n");

        _stages.Validate(file, contract, _env.PathOf("out/profile.json")).Execute().ShouldBeFalse();

        _engine.Errors.ShouldBe(
        [
            $"CAIRN2007: {file} column 'id' holds double values, which {contract} declares integer. Fix: declare the column's type in the contract (number), or write the column as integer values.",
        ]);
        File.Exists(_env.PathOf("out/profile.json")).ShouldBeFalse();
    }
}
