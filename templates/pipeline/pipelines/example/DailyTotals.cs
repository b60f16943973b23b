using System.Globalization;
using Cairn.Stages;
using Cairn.Stages.Common;
using Microsoft.Build.Framework;

namespace Example;

/// <summary>
/// The DailyTotals stage: one day's sales, totalled per store (units and revenue), leaving out the rows the data
/// contract rejects (counted in <see cref="RowsRejected"/>). Its output, one row per store in store order:
/// <c>store,units,revenue</c>.
/// </summary>
/// <remarks>
/// Errors: EXAMPLE1001 the contract lacks a column this stage reads. The input and the contract are checked with
/// Cairn's own codes (CAIRN2000-2006), as the Validate stage checks them.
/// </remarks>
public sealed class DailyTotals : StageTask
{
    private static readonly string[] Needed = ["store", "quantity", "unit_price"];

    /// <summary>The day's ingested sales (the Ingest stage's output).</summary>
    [Required]
    [StageInput]
    public string Input { get; set; } = string.Empty;

    /// <summary>The data contract the rows are checked against.</summary>
    [Required]
    [StageInput]
    public string Contract { get; set; } = string.Empty;

    /// <summary>The day's profile: read only so that the day is totalled after it passed validation.</summary>
    [Required]
    [StageInput]
    public string Profile { get; set; } = string.Empty;

    /// <summary>
    /// The partition's key, bound to <c>{partition}</c>: a day (<c>yyyy-MM-dd</c>) here, or an hour or a month in a
    /// pipeline of that grain. A row dated outside the partition's days breaks the contract.
    /// </summary>
    [Required]
    [StageParameter]
    public string Partition { get; set; } = string.Empty;

    /// <summary>The day's totals per store (CSV).</summary>
    [Required]
    [StageOutput]
    public string Output { get; set; } = string.Empty;

    /// <summary>How many rows the day has.</summary>
    [Output]
    [StageMetric]
    public long RowsIn { get; set; }

    /// <summary>How many rows the contract rejects, left out of the totals.</summary>
    [Output]
    [StageMetric]
    public long RowsRejected { get; set; }

    public override bool Execute()
    {
        if (!ContractedInput.TryParsePartitionKey(Log, Partition, out var partition)
            || !ContractedInput.TryLoad(Log, Input, Contract, out var contract, out var table))
        {
            return false;
        }

        var missing = Needed.Where(name => !contract.Columns.Any(c => c.Name == name)).ToList();
        if (missing.Count > 0)
        {
            LogCodedError("EXAMPLE1001", $"{Contract} declares no column {string.Join(", ", missing)}; DailyTotals reads {string.Join(", ", Needed)}. Fix: declare them in the contract.", Contract);
            return false;
        }

        var columns = table.Columns.ToList();
        var indexes = contract.IndexesIn(table.Columns);
        var (store, quantity, price) = (columns.IndexOf("store"), columns.IndexOf("quantity"), columns.IndexOf("unit_price"));
        var totals = new SortedDictionary<string, (long Units, decimal Revenue)>(StringComparer.Ordinal);
        foreach (var row in table.Rows)
        {
            ThrowIfCancelled();
            RowsIn++;
            var values = indexes.Select(i => row.Values[i]).ToList();
            if (row.Error.Length > 0 || contract.CheckRowInPartition(values, partition).Count > 0)
            {
                RowsRejected++;
                continue;
            }

            var units = long.Parse(row.Values[quantity], CultureInfo.InvariantCulture);
            var revenue = units * decimal.Parse(row.Values[price], NumberStyles.Float, CultureInfo.InvariantCulture);
            var sofar = totals.GetValueOrDefault(row.Values[store]);
            totals[row.Values[store]] = (sofar.Units + units, sofar.Revenue + revenue);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(Output))!);
        var lines = totals.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key},{t.Value.Units},{t.Value.Revenue:0.00}"));
        File.WriteAllLines(Output, ["store,units,revenue", .. lines]);
        return !Log.HasLoggedErrors;
    }
}
