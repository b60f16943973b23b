namespace Example.Tests;

public sealed class DailyTotalsTests : IDisposable
{
    private const string Header = "date,store,product,quantity,unit_price,_source,_error";
    private readonly StageFolder _folder = new();
    private readonly RecordingBuildEngine _engine = new();

    [Fact]
    public void Totals_each_stores_units_and_revenue_in_store_order()
    {
        var stage = Stage($"""
            {Header}
            2026-03-01,station,coffee,2,2.50,sales.csv:2,
            2026-03-01,harbour,cake,1,4.40,sales.csv:3,
            2026-03-01,station,juice,3,3.20,sales.csv:4,
            """);

        Assert.True(stage.Execute(), string.Join("\n", _engine.Errors));

        Assert.Equal(["store,units,revenue", "harbour,1,4.40", "station,5,14.60"], File.ReadAllLines(stage.Output));
        Assert.Equal(3, stage.RowsIn);
        Assert.Equal(0, stage.RowsRejected);
    }

    [Fact]
    public void Rows_the_contract_rejects_are_left_out_and_counted()
    {
        var stage = Stage($"""
            {Header}
            2026-03-01,station,coffee,2,2.50,sales.csv:2,
            2026-03-01,airport,coffee,2,2.50,sales.csv:3,
            2026-03-01,station,coffee,0,2.50,sales.csv:4,
            2026-03-02,station,coffee,1,2.50,sales.csv:5,
            2026-03-01,station,coffee,1,2.50,sales.csv:6,quote not closed
            """);

        Assert.True(stage.Execute(), string.Join("\n", _engine.Errors));

        Assert.Equal(["store,units,revenue", "station,2,5.00"], File.ReadAllLines(stage.Output));
        Assert.Equal(5, stage.RowsIn);
        Assert.Equal(4, stage.RowsRejected);
    }

    [Fact]
    public void A_contract_without_a_column_it_reads_fails_with_EXAMPLE1001()
    {
        var contract = _folder.Write("contract.yaml", """
            columns:
              - name: date
                type: date
                partition_key: true
              - name: quantity
                type: integer
            """);
        var stage = Stage($"date,quantity,_source,_error\n2026-03-01,2,sales.csv:2,\n", contract);

        Assert.False(stage.Execute());

        var error = Assert.Single(_engine.Errors);
        Assert.StartsWith("EXAMPLE1001: ", error);
        Assert.Contains("declares no column store, unit_price", error);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void In_a_pipeline_of_hours_the_rows_of_the_hours_day_are_totalled_and_those_of_another_day_rejected()
    {
        var stage = Stage($"""
            {Header}
            2026-03-01,station,coffee,2,2.50,sales.csv:2,
            2026-03-02,station,coffee,1,2.50,sales.csv:3,
            """, partition: "2026-03-01T05");

        Assert.True(stage.Execute(), string.Join("\n", _engine.Errors));

        Assert.Equal(["store,units,revenue", "station,2,5.00"], File.ReadAllLines(stage.Output));
        Assert.Equal(1, stage.RowsRejected);
    }

    [Fact]
    public void A_partition_that_is_no_key_of_any_grain_fails_with_CAIRN2006()
    {
        var stage = Stage($"""
            {Header}
            2026-03-01,station,coffee,2,2.50,sales.csv:2,
            """, partition: "2026-03-01 05:00");

        Assert.False(stage.Execute());

        var error = Assert.Single(_engine.Errors);
        Assert.StartsWith("CAIRN2006: ", error);
        Assert.Contains("an hour YYYY-MM-DDTHH, a day YYYY-MM-DD or a month YYYY-MM", error);
    }

    private DailyTotals Stage(string ingested, string? contract = null, string partition = "2026-03-01") => new()
    {
        BuildEngine = _engine,
        Input = _folder.Write("data/ingested/date=2026-03-01/sales.csv", ingested),
        Contract = contract ?? StageFolder.Contract,
        Profile = _folder.Write("data/profiles/date=2026-03-01/profile.json", "{}"),
        Partition = partition,
        Output = _folder.PathOf("data/daily/date=2026-03-01/totals.csv"),
    };
}
