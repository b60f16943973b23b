namespace Cairn.Engine.Partitions;

/// <summary>The date partitions present in a Hive-style raw landing zone (<c>date=YYYY-MM-DD/*.csv</c>).</summary>
internal sealed class PartitionCatalog
{
    private PartitionCatalog(IReadOnlyList<DateOnly> dates, IReadOnlyList<string> ignoredFolders)
    {
        Dates = dates;
        IgnoredFolders = ignoredFolders;
    }

    /// <summary>Dates that have at least one CSV file, in ascending order.</summary>
    public IReadOnlyList<DateOnly> Dates { get; }

    /// <summary>Folders named <c>date=…</c> whose name is not a valid date, or that hold no CSV file.</summary>
    public IReadOnlyList<string> IgnoredFolders { get; }

    public bool Contains(DateOnly date) => BinarySearch(date) >= 0;

    /// <summary>A catalog of the given dates, e.g. those a landing zone will hold once it is made.</summary>
    public static PartitionCatalog Of(IEnumerable<DateOnly> dates) => new(dates.Distinct().Order().ToList(), []);

    public static PartitionCatalog Scan(string rawDirectory)
    {
        var dates = new List<DateOnly>();
        var ignored = new List<string>();
        foreach (var folder in Directory.EnumerateDirectories(rawDirectory, PartitionDates.FolderPrefix + "*"))
        {
            var name = Path.GetFileName(folder);
            if (!PartitionDates.TryParse(name[PartitionDates.FolderPrefix.Length..], out var date))
            {
                ignored.Add(name);
                continue;
            }

            if (!Directory.EnumerateFiles(folder, "*.csv").Any())
            {
                ignored.Add(name);
                continue;
            }

            dates.Add(date);
        }

        dates.Sort();
        ignored.Sort(StringComparer.Ordinal);
        return new PartitionCatalog(dates, ignored);
    }

    private int BinarySearch(DateOnly date)
    {
        var list = (List<DateOnly>)Dates;
        return list.BinarySearch(date);
    }
}
