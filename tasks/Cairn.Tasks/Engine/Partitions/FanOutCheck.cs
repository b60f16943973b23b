namespace Cairn.Engine.Partitions;

/// <summary>
/// What a fan-out stage wrote, checked before any of it is promoted: every entry of its output folder must be a
/// partition folder <c>KEY=value</c> whose value is a key of the pipeline's grain and which holds the file the layout
/// names. A stage that writes anything else fails its cell, so no partition downstream stages cannot read ever lands.
/// </summary>
internal static class FanOutCheck
{
    // Problems named one by one; the rest are counted.
    private const int Named = 3;

    /// <param name="staged">The folder the stage wrote.</param>
    /// <param name="layout">The fan-out output's layout.</param>
    /// <param name="mayBeEmpty">Whether writing no partition is allowed: a run that selects partitions the sources hold no rows of.</param>
    /// <returns>The partitions written, in order, and every problem, each naming the file, the partition and the fix.</returns>
    public static (IReadOnlyList<string> Keys, IReadOnlyList<string> Problems) Check(string staged, FanOutLayout layout, bool mayBeEmpty = false)
    {
        var scheme = layout.Scheme;
        var keys = new List<string>();
        var problems = new List<string>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(staged).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(entry);
            var logical = $"{layout.Folder}/{name}";
            if (!Directory.Exists(entry))
            {
                problems.Add($"it wrote {logical}, a file beside the partition folders; write each partition's rows to {layout.Folder}/{layout.Layout} only");
            }
            else if (!name.StartsWith(scheme.FolderPrefix, StringComparison.Ordinal))
            {
                problems.Add($"it wrote {logical}/, which is not a partition folder {scheme.FolderPrefix}{scheme.Pattern}; write each partition's rows to {layout.Folder}/{layout.Layout}");
            }
            else if (name[scheme.FolderPrefix.Length..] is var key && !scheme.IsKey(key))
            {
                problems.Add($"it wrote {logical}/{layout.FileName} for the partition '{key}', and {scheme.Explain(key)}; the stage must write the partition's key as {scheme.Pattern} (e.g. {scheme.FolderPrefix}{scheme.Example}): fix the rows it was read from, or the stage's parameters");
            }
            else if (!File.Exists(Path.Combine(entry, layout.FileName)))
            {
                problems.Add($"it wrote {logical}/ without {layout.FileName}; each partition folder holds its rows in {layout.FileName}");
            }
            else
            {
                keys.Add(key);
            }
        }

        if (problems.Count == 0 && keys.Count == 0 && !mayBeEmpty)
        {
            problems.Add($"it wrote no partition into {layout.Folder}/; write each partition's rows to {layout.Folder}/{layout.Layout}");
        }

        if (problems.Count > Named)
        {
            var more = problems.Count - Named;
            problems.RemoveRange(Named, more);
            problems.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{more} more like these"));
        }

        return (keys, problems);
    }
}
