using System.Globalization;
using System.Text;
using Cairn.Stages;
using Microsoft.Build.Framework;

namespace Example;

/// <summary>
/// The Summary stage, over every selected day: each store's days with sales, units and revenue (and its share of the
/// revenue), its best day, as a markdown table in <see cref="Report"/>.
/// </summary>
/// <remarks>Errors: EXAMPLE2001 a totals file DailyTotals did not write; EXAMPLE2002 no currency.</remarks>
public sealed class Summary : StageTask
{
    /// <summary>Each selected day's totals (the DailyTotals stage's outputs), in a <c>date=YYYY-MM-DD</c> folder each.</summary>
    [Required]
    [StageInput]
    public ITaskItem[] Totals { get; set; } = [];

    /// <summary>The currency the revenue is shown in (config/summary.yaml: <c>currency</c>).</summary>
    [StageParameter]
    public string Currency { get; set; } = string.Empty;

    /// <summary>The summary (markdown).</summary>
    [Required]
    [StageOutput]
    public string Report { get; set; } = string.Empty;

    /// <summary>How many days were summarized.</summary>
    [Output]
    [StageMetric]
    public long Days { get; set; }

    public override bool Execute()
    {
        if (string.IsNullOrWhiteSpace(Currency))
        {
            LogCodedError("EXAMPLE2002", "currency is empty; set it in config/summary.yaml (e.g. currency: EUR).");
            return false;
        }

        var stores = new SortedDictionary<string, StoreSummary>(StringComparer.Ordinal);
        foreach (var item in Totals.OrderBy(i => i.ItemSpec, StringComparer.Ordinal))
        {
            ThrowIfCancelled();
            var day = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(item.ItemSpec)))?.Replace("date=", string.Empty, StringComparison.Ordinal) ?? item.ItemSpec;
            if (!Read(item.ItemSpec, day, stores))
            {
                return false;
            }

            Days++;
        }

        var total = stores.Values.Sum(s => s.Revenue);
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# Sales over {Days} days")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"| store | days | units | revenue ({Currency}) | share | best day |")
            .AppendLine("| --- | ---: | ---: | ---: | ---: | --- |");
        foreach (var (name, store) in stores)
        {
            var share = total == 0 ? 0 : store.Revenue / total;
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {store.Days} | {store.Units} | {store.Revenue:0.00} | {share:P1} | {store.BestDay} ({store.BestRevenue:0.00}) |");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(Report))!);
        File.WriteAllText(Report, text.ToString().ReplaceLineEndings("\n"));
        return !Log.HasLoggedErrors;
    }

    private bool Read(string path, string day, SortedDictionary<string, StoreSummary> stores)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != "store,units,revenue")
        {
            LogCodedError("EXAMPLE2001", $"{path} is not a DailyTotals output (its header is not store,units,revenue); re-run the DailyTotals stage to write it again.", path);
            return false;
        }

        foreach (var (line, number) in lines.Skip(1).Select((l, i) => (l, i + 2)))
        {
            var fields = line.Split(',');
            if (fields.Length != 3
                || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var units)
                || !decimal.TryParse(fields[2], NumberStyles.Number, CultureInfo.InvariantCulture, out var revenue))
            {
                LogCodedError("EXAMPLE2001", $"{path}:{number}: '{line}' is not store,units,revenue; re-run the DailyTotals stage to write it again.", path);
                return false;
            }

            var store = stores.TryGetValue(fields[0], out var found) ? found : stores[fields[0]] = new StoreSummary();
            store.Add(day, units, revenue);
        }

        return true;
    }
}
