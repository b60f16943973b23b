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

    private DailyTotals Stage(string ingested, string? contract = null) => new()
    {
        BuildEngine = _engine,
        Input = _folder.Write("data/ingested/date=2026-03-01/sales.csv", ingested),
        Contract = contract ?? StageFolder.Contract,
        Profile = _folder.Write("data/profiles/date=2026-03-01/profile.json", "{}"),
        Partition = "2026-03-01",
        Output = _folder.PathOf("data/daily/date=2026-03-01/totals.csv"),
    };
}
