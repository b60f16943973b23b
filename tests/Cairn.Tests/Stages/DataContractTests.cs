using System.Globalization;
using Cairn.Stages.Contracts;
using Cairn.Tests.Support;

namespace Cairn.Tests.Stages;

public sealed class DataContractTests : IDisposable
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
            min: 1
            nullable: true
          - name: kind
            type: category
            allowed: [a, b]
          - name: note
            type: string
            nullable: true
        """;

    private readonly TestEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public void Shipped_weather_contract_declares_the_sample_columns_in_file_order()
    {
        var contract = DataContract.Load(SampleData.WeatherContract);

        string.Join(",", contract.Columns.Select(c => c.Name)).ShouldBe(SampleData.Header);
        contract.Columns.Single(c => c.PartitionKey).Name.ShouldBe("date");
        contract.Columns.ShouldAllBe(c => !c.Nullable);
        contract.Columns[5].Allowed.ShouldBe(["drizzle", "fog", "rain", "snow", "sun"]);
    }

    [Fact]
    public void Every_row_of_the_shipped_sample_keeps_the_shipped_contract()
    {
        var contract = DataContract.Load(SampleData.WeatherContract);

        var broken = File.ReadLines(SampleData.WeatherCsv).Skip(1)
            .Select(line => (line, reasons: contract.CheckRow(line.Split(','), partition: null)))
            .Where(r => r.reasons.Count > 0)
            .Select(r => $"{r.line}: {string.Join("; ", r.reasons)}")
            .ToList();

        broken.ShouldBeEmpty();
    }

    [Fact]
    public void Row_that_keeps_every_rule_has_no_reasons()
    {
        Small().CheckRow(["2012-01-04", "0", "", "a", ""], Day("2012-01-04")).ShouldBeEmpty();
    }

    [Fact]
    public void Unparseable_number_is_a_reason()
    {
        Small().CheckRow(["2012-01-04", "1.2.3", "1", "a", ""], null).ShouldBe(["amount: '1.2.3' is not a number"]);
    }

    [Fact]
    public void Number_written_with_a_decimal_comma_is_not_a_number_under_any_culture()
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            Small().CheckRow(["2012-01-04", "1,5", "1", "a", ""], null).ShouldBe(["amount: '1,5' is not a number"]);
            Small().CheckRow(["2012-01-04", "1.5", "1", "a", ""], null).ShouldBeEmpty();
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Fact]
    public void Not_a_number_and_infinity_are_not_numbers()
    {
        Small().CheckRow(["2012-01-04", "NaN", "1", "a", ""], null).ShouldBe(["amount: 'NaN' is not a number"]);
        Small().CheckRow(["2012-01-04", "Infinity", "1", "a", ""], null).ShouldBe(["amount: 'Infinity' is not a number"]);
    }

    [Fact]
    public void Fraction_in_an_integer_column_is_a_reason()
    {
        Small().CheckRow(["2012-01-04", "1", "1.5", "a", ""], null).ShouldBe(["count: '1.5' is not an integer"]);
    }

    [Fact]
    public void Unparseable_date_is_a_reason()
    {
        Small().CheckRow(["04/01/2012", "1", "1", "a", ""], null).ShouldBe(["date: '04/01/2012' is not a date (yyyy-MM-dd)"]);
        Small().CheckRow(["2012-02-30", "1", "1", "a", ""], null).ShouldBe(["date: '2012-02-30' is not a date (yyyy-MM-dd)"]);
    }

    [Fact]
    public void Values_outside_min_and_max_are_reasons_and_the_bounds_are_inclusive()
    {
        Small().CheckRow(["2012-01-04", "-0.1", "0", "a", ""], null).ShouldBe(["amount: -0.1 is below the minimum 0", "count: 0 is below the minimum 1"]);
        Small().CheckRow(["2012-01-04", "10.5", "1", "a", ""], null).ShouldBe(["amount: 10.5 is above the maximum 10"]);
        Small().CheckRow(["2012-01-04", "10", "1", "a", ""], null).ShouldBeEmpty();
    }

    [Fact]
    public void Unknown_category_is_a_reason_that_lists_the_allowed_values()
    {
        Small().CheckRow(["2012-01-04", "1", "1", "A", ""], null).ShouldBe(["kind: 'A' is not one of a, b"]);
    }

    [Fact]
    public void Empty_value_in_a_non_nullable_column_is_a_reason()
    {
        Small().CheckRow(["2012-01-04", "", "", "a", ""], null).ShouldBe(["amount: empty, but the contract does not allow nulls"]);
    }

    [Fact]
    public void Date_outside_the_partition_is_a_reason_only_when_a_partition_is_given()
    {
        Small().CheckRow(["2012-01-05", "1", "1", "a", ""], Day("2012-01-04")).ShouldBe(["date: 2012-01-05 is outside partition 2012-01-04"]);
        Small().CheckRow(["2012-01-05", "1", "1", "a", ""], null).ShouldBeEmpty();
    }

    [Fact]
    public void Every_broken_value_of_a_row_is_reported()
    {
        Small().CheckRow(["x", "y", "z", "c", "fine"], null).Count.ShouldBe(4);
    }

    [Fact]
    public void Header_with_the_contract_columns_in_another_order_fits()
    {
        Small().CheckHeader(["kind", "date", "note", "amount", "count"]).ShouldBeEmpty();
    }

    [Fact]
    public void Missing_column_is_reported_with_its_contract_position()
    {
        Small().CheckHeader(["date", "amount", "kind", "note"])
            .ShouldBe([new HeaderProblem(HeaderProblemKind.Missing, 3, "count", null)]);
    }

    [Fact]
    public void Extra_column_is_reported_with_its_data_position()
    {
        Small().CheckHeader(["date", "amount", "count", "kind", "note", "gust"])
            .ShouldBe([new HeaderProblem(HeaderProblemKind.Extra, 6, null, "gust")]);
    }

    [Fact]
    public void Missing_and_extra_column_at_the_same_position_is_reported_as_renamed()
    {
        Small().CheckHeader(["date", "amt", "count", "kind", "note"])
            .ShouldBe([new HeaderProblem(HeaderProblemKind.Renamed, 2, "amount", "amt")]);
    }

    [Fact]
    public void Missing_and_extra_columns_at_different_positions_are_reported_apart()
    {
        Small().CheckHeader(["date", "count", "kind", "note", "amt"]).ShouldBe(
        [
            new HeaderProblem(HeaderProblemKind.Missing, 2, "amount", null),
            new HeaderProblem(HeaderProblemKind.Extra, 5, null, "amt"),
        ]);
    }

    [Fact]
    public void Header_problems_read_with_data_file_column_contract_file_and_fix()
    {
        new HeaderProblem(HeaderProblemKind.Missing, 3, "count", null).Describe("in.csv", "c.yaml")
            .ShouldBe("in.csv has no column 'count', which c.yaml requires (contract column 3). Fix: add the column to the data, or remove it from the contract.");
        new HeaderProblem(HeaderProblemKind.Extra, 6, null, "gust").Describe("in.csv", "c.yaml")
            .ShouldBe("in.csv column 6 'gust' is not declared in c.yaml. Fix: declare it in the contract, or drop it from the data.");
        new HeaderProblem(HeaderProblemKind.Renamed, 2, "amount", "amt").Describe("in.csv", "c.yaml")
            .ShouldBe("in.csv column 2 is 'amt' where c.yaml expects 'amount' (renamed?). Fix: rename the column back to 'amount', or rename it in the contract.");
    }

    [Fact]
    public void A_contract_edited_in_place_is_read_anew_even_with_the_same_size_and_timestamp()
    {
        var path = _env.WriteFile("c.yaml", "columns:\n  - name: a\n    type: number\n    max: 3\n");
        var written = File.GetLastWriteTimeUtc(path);
        DataContract.Load(path).Columns.Single().Max.ShouldBe(3);

        File.WriteAllText(path, "columns:\n  - name: a\n    type: number\n    max: 7\n");
        File.SetLastWriteTimeUtc(path, written);

        DataContract.Load(path).Columns.Single().Max.ShouldBe(7);
    }

    [Fact]
    public void Yaml_syntax_error_names_the_file_line_and_column()
    {
        var path = _env.WriteFile("c.yaml", "columns: [\n");

        Should.Throw<ContractException>(() => DataContract.Load(path)).Message
            .ShouldStartWith($"{path} line 2, column 1: not valid YAML: ");
    }

    [Fact]
    public void Unknown_column_key_names_the_key_and_lists_the_valid_ones()
    {
        var path = _env.WriteFile("c.yaml", "columns:\n  - name: a\n    type: number\n    maximum: 3\n");

        Should.Throw<ContractException>(() => DataContract.Load(path)).Message
            .ShouldBe($"{path} line 4, column 5: columns[0]: unknown key 'maximum'. Valid keys: name, type, nullable, partition_key, min, max, allowed, optional.");
    }

    [Fact]
    public void Unknown_type_lists_the_valid_types()
    {
        var path = _env.WriteFile("c.yaml", "columns:\n  - name: a\n    type: float\n");

        Should.Throw<ContractException>(() => DataContract.Load(path)).Message
            .ShouldBe($"{path} line 3, column 11: columns[0].type: 'float' is not a type. Valid types: date, number, integer, category, string, boolean, timestamp.");
    }

    [Fact]
    public void Bound_that_is_not_a_number_names_the_key()
    {
        var path = _env.WriteFile("c.yaml", "columns:\n  - name: a\n    type: number\n  - name: b\n    type: number\n    min: low\n");

        Should.Throw<ContractException>(() => DataContract.Load(path)).Message
            .ShouldBe($"{path} line 6, column 10: columns[1].min: 'low' is not a number. Fix: write a plain number such as 0 or -20.5.");
    }

    [Theory]
    [InlineData("columns:\n  - type: number\n", "columns[0]: 'name' is required")]
    [InlineData("columns:\n  - name: Date\n    type: date\n", "columns[0].name: 'Date' must be lower case without surrounding spaces, as the ingest writes headers. Fix: write 'date'")]
    [InlineData("columns:\n  - name: _source\n    type: string\n", "columns[0].name: '_source' is reserved for the ingest's bookkeeping column. Fix: rename the column")]
    [InlineData("columns:\n  - name: a\n    type: number\n    min: 5\n    max: 1\n", "columns[0]: min 5 is greater than max 1")]
    [InlineData("columns:\n  - name: a\n    type: category\n", "columns[0].allowed: a category column needs a non-empty 'allowed' list. Fix: add 'allowed: [value1, value2]'")]
    [InlineData("columns:\n  - name: a\n    type: string\n    allowed: [x]\n", "columns[0].allowed: only category columns take an 'allowed' list")]
    [InlineData("columns:\n  - name: a\n    type: date\n    min: 1\n", "columns[0].min: only number and integer columns take min and max")]
    [InlineData("columns:\n  - name: a\n    type: number\n    partition_key: true\n", "columns[0].partition_key: only a date column can be the partition key")]
    [InlineData("columns:\n  - name: a\n    type: number\n    nullable: sometimes\n", "columns[0].nullable: 'sometimes' is not true or false")]
    [InlineData("columns:\n  - name: a\n    type: number\n  - name: a\n    type: string\n", "columns[1].name: 'a' is declared twice (also columns[0])")]
    [InlineData("columns:\n  - name: a\n    type: date\n    partition_key: true\n  - name: b\n    type: date\n    partition_key: true\n", "columns[1].partition_key: columns[0] is already the partition key; a contract has at most one")]
    [InlineData("columns: []\n", "columns: the contract declares no columns. Fix: add a 'columns' list with at least one column")]
    [InlineData("colums:\n  - name: a\n", "unknown key 'colums'. Valid top-level keys: columns")]
    public void Malformed_contract_is_rejected_with_the_key_at_fault(string yaml, string problem)
    {
        var path = _env.WriteFile("c.yaml", yaml);

        var message = Should.Throw<ContractException>(() => DataContract.Load(path)).Message;

        message.ShouldStartWith(path + " line ");
        message.ShouldEndWith(": " + problem + ".");
    }

    [Fact]
    public void Empty_contract_file_is_rejected_naming_the_file()
    {
        var path = _env.WriteFile("c.yaml", "# nothing yet\n");

        Should.Throw<ContractException>(() => DataContract.Load(path)).Message
            .ShouldBe($"{path} is empty. Fix: declare the table's columns under 'columns:'");
    }

    [Fact]
    public void Missing_contract_file_is_a_contract_error_naming_the_file()
    {
        var path = _env.PathOf("absent.yaml");

        Should.Throw<ContractException>(() => DataContract.Load(path)).Message
            .ShouldStartWith($"contract {path} cannot be read: ");
    }

    private static DateOnly Day(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private DataContract Small() => DataContract.Load(_env.WriteFile("small.yaml", SmallContract));
}
