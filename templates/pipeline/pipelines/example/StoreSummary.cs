namespace Example;

/// <summary>One store's sales over the days Summary reads.</summary>
internal sealed class StoreSummary
{
    public int Days { get; private set; }

    public long Units { get; private set; }

    public decimal Revenue { get; private set; }

    public string BestDay { get; private set; } = string.Empty;

    public decimal BestRevenue { get; private set; }

    public void Add(string day, long units, decimal revenue)
    {
        Days++;
        Units += units;
        Revenue += revenue;
        if (revenue > BestRevenue)
        {
            (BestDay, BestRevenue) = (day, revenue);
        }
    }
}
