using System.Globalization;
using System.IO.Enumeration;

namespace Cairn.Engine.Partitions;

/// <summary>
/// The date partitions present in a Hive-style raw landing zone (<c>date=YYYY-MM-DD/*.csv</c>), and the folders that
/// look like partitions but are not (a malformed date, another case, no <c>.csv</c> file, too deep): those are never
/// run, so each run and Status warn of them, and <c>--strict</c> refuses to go on.
/// </summary>
internal sealed class PartitionCatalog
{
    // Examples named per kind of ignored folder; the rest are counted.
    private const int Examples = 3;

    // How deep below a non-partition folder of the landing zone a misplaced partition folder is looked for.
    private const int NestedDepth = 3;

    private static readonly EnumerationOptions Entries = new() { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = false };

    private PartitionCatalog(IReadOnlyList<DateOnly> dates, IReadOnlyList<IgnoredFolder> ignoredFolders)
    {
        Dates = dates;
        IgnoredFolders = ignoredFolders;
    }

    /// <summary>Dates that have at least one CSV file, in ascending order.</summary>
    public IReadOnlyList<DateOnly> Dates { get; }

    /// <summary>Folders that look like partitions and are ignored, by path below the landing zone.</summary>
    public IReadOnlyList<IgnoredFolder> IgnoredFolders { get; }

    public bool Contains(DateOnly date) => BinarySearch(date) >= 0;

    /// <summary>A catalog of the given dates, e.g. those a landing zone will hold once it is made.</summary>
    public static PartitionCatalog Of(IEnumerable<DateOnly> dates) => new(dates.Distinct().Order().ToList(), []);

    public static PartitionCatalog Scan(string rawDirectory)
    {
        var dates = new List<DateOnly>();
        var ignored = new List<IgnoredFolder>();
        var ignoreCase = !OperatingSystem.IsLinux();
        foreach (var folder in Directory.EnumerateDirectories(rawDirectory))
        {
            var name = Path.GetFileName(folder);
            if (!name.StartsWith(PartitionDates.FolderPrefix, StringComparison.OrdinalIgnoreCase))
            {
                ignored.AddRange(NestedPartitions(folder, name, 1));
                continue;
            }

            if (!name.StartsWith(PartitionDates.FolderPrefix, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
            {
                ignored.Add(new IgnoredFolder(IgnoredFolderKind.OtherCase, name));
                continue;
            }

            if (!PartitionDates.TryParse(name[PartitionDates.FolderPrefix.Length..], out var date))
            {
                ignored.Add(new IgnoredFolder(IgnoredFolderKind.NotADate, name));
                continue;
            }

            var (csv, otherCase, subfolders) = Contents(folder, ignoreCase);
            foreach (var subfolder in subfolders)
            {
                ignored.Add(new IgnoredFolder(IgnoredFolderKind.Nested, name + "/" + subfolder));
            }

            if (!csv)
            {
                ignored.Add(new IgnoredFolder(IgnoredFolderKind.NoCsv, name, otherCase is null ? null : $"holds {otherCase}"));
                continue;
            }

            dates.Add(date);
        }

        dates.Sort();
        ignored.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new PartitionCatalog(dates, ignored);
    }

    /// <summary>One warning line per kind of ignored folder, with the count and a few examples; empty when there are none.</summary>
    /// <param name="raw">The landing zone as the user knows it.</param>
    public IReadOnlyList<string> Warnings(string raw)
    {
        var lines = new List<string>();
        foreach (var group in IgnoredFolders.GroupBy(f => f.Kind).OrderBy(g => g.Key))
        {
            var count = group.Count();
            var names = group.Take(Examples).Select(f => f.Note is null ? f.Path : $"{f.Path} ({f.Note})").ToList();
            var examples = string.Join(", ", names) + (count > Examples ? string.Create(CultureInfo.InvariantCulture, $" and {count - Examples} more") : string.Empty);
            var folders = count == 1 ? "1 folder" : string.Create(CultureInfo.InvariantCulture, $"{count} folders");
            lines.Add(group.Key switch
            {
                IgnoredFolderKind.NotADate => $"{folders} in {raw} {(count == 1 ? "is" : "are")} named date=… without a YYYY-MM-DD date and {(count == 1 ? "is" : "are")} ignored: {examples}; rename them date=YYYY-MM-DD (e.g. date=2013-06-03).",
                IgnoredFolderKind.OtherCase => $"{folders} in {raw} {(count == 1 ? "is" : "are")} named like a partition in another case and {(count == 1 ? "is" : "are")} ignored: {examples}; partition folders are named date=YYYY-MM-DD, in lower case.",
                IgnoredFolderKind.NoCsv => $"{folders} in {raw} {(count == 1 ? "holds" : "hold")} no .csv file and {(count == 1 ? "is" : "are")} ignored: {examples}; a partition needs at least one file named *.csv (the extension in lower case).",
                _ => $"{folders} in {raw} {(count == 1 ? "lies" : "lie")} deeper than a partition and {(count == 1 ? "is" : "are")} ignored: {examples}; partitions are the folders date=YYYY-MM-DD at the top of the landing zone, their files directly inside.",
            });
        }

        return lines;
    }

    /// <summary>Whether the partition folder holds a <c>.csv</c> file, the name of a file whose extension is <c>.csv</c> in another case, and its subfolders that hold CSV files.</summary>
    private static (bool Csv, string? OtherCase, List<string> Subfolders) Contents(string folder, bool ignoreCase)
    {
        var csv = false;
        string? otherCase = null;
        var subfolders = new List<string>();
        var entries = new FileSystemEnumerable<(string Name, bool Directory)>(folder, (ref FileSystemEntry e) => (e.FileName.ToString(), e.IsDirectory), Entries);
        foreach (var (name, directory) in entries)
        {
            if (directory)
            {
                if (HoldsCsv(Path.Combine(folder, name), ignoreCase))
                {
                    subfolders.Add(name);
                }
            }
            else if (name.EndsWith(".csv", ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
            {
                csv = true;
            }
            else if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            {
                otherCase ??= name;
            }
        }

        subfolders.Sort(StringComparer.Ordinal);
        return (csv, otherCase, subfolders);
    }

    private static bool HoldsCsv(string folder, bool ignoreCase) =>
        Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 })
            .Any(f => f.EndsWith(".csv", ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal));

    /// <summary>Folders named like partitions below a folder of the landing zone that is not one.</summary>
    private static IEnumerable<IgnoredFolder> NestedPartitions(string folder, string relative, int depth)
    {
        if (depth > NestedDepth)
        {
            yield break;
        }

        IEnumerable<string> children;
        try
        {
            children = Directory.EnumerateDirectories(folder).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var child in children)
        {
            var name = Path.GetFileName(child);
            if (name.StartsWith(PartitionDates.FolderPrefix, StringComparison.OrdinalIgnoreCase))
            {
                yield return new IgnoredFolder(IgnoredFolderKind.Nested, relative + "/" + name);
            }
            else
            {
                foreach (var nested in NestedPartitions(child, relative + "/" + name, depth + 1))
                {
                    yield return nested;
                }
            }
        }
    }

    private int BinarySearch(DateOnly date)
    {
        var list = (List<DateOnly>)Dates;
        return list.BinarySearch(date);
    }
}
