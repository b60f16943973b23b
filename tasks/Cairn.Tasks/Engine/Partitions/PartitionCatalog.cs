using System.Globalization;
using System.IO.Enumeration;

namespace Cairn.Engine.Partitions;

/// <summary>
/// The partitions present in a Hive-style raw landing zone (<c>date=YYYY-MM-DD/*.csv</c> by default; the pipeline's
/// <see cref="PartitionScheme"/> names the key, the grain and the files), and the folders that look like partitions
/// but are not (a key that does not parse at the grain, another case, no file matching <c>files:</c>, too deep):
/// those are never run, so each run and Status warn of them, and <c>--strict</c> refuses to go on.
/// </summary>
internal sealed class PartitionCatalog
{
    // Examples named per kind of ignored folder; the rest are counted.
    private const int Examples = 3;

    // How deep below a non-partition folder of the landing zone a misplaced partition folder is looked for.
    private const int NestedDepth = 3;

    private static readonly EnumerationOptions Entries = new() { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = false };

    private readonly PartitionScheme _scheme;

    private PartitionCatalog(PartitionScheme scheme, List<string> keys, IReadOnlyList<IgnoredFolder> ignoredFolders)
    {
        _scheme = scheme;
        Keys = keys;
        IgnoredFolders = ignoredFolders;
    }

    /// <summary>The keys of the partitions that have at least one raw file, in ascending (time) order.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>Folders that look like partitions and are ignored, by path below the landing zone.</summary>
    public IReadOnlyList<IgnoredFolder> IgnoredFolders { get; }

    public bool Contains(string key) => ((List<string>)Keys).BinarySearch(key, StringComparer.Ordinal) >= 0;

    /// <summary>A catalog of the given keys, e.g. those a landing zone will hold once it is made.</summary>
    public static PartitionCatalog Of(PartitionScheme scheme, IEnumerable<string> keys) => new(scheme, keys.Distinct().Order(StringComparer.Ordinal).ToList(), []);

    public static PartitionCatalog Scan(string rawDirectory, PartitionScheme scheme)
    {
        var keys = new List<string>();
        var prefix = scheme.FolderPrefix;
        var ignored = new List<IgnoredFolder>();
        var ignoreCase = !OperatingSystem.IsLinux();
        foreach (var folder in Directory.EnumerateDirectories(rawDirectory))
        {
            var name = Path.GetFileName(folder);
            if (!name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                ignored.AddRange(NestedPartitions(folder, name, 1, prefix));
                continue;
            }

            if (!name.StartsWith(prefix, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
            {
                ignored.Add(new IgnoredFolder(IgnoredFolderKind.OtherCase, name));
                continue;
            }

            var key = name[prefix.Length..];
            if (!scheme.IsKey(key))
            {
                ignored.Add(new IgnoredFolder(IgnoredFolderKind.NotADate, name));
                continue;
            }

            var (csv, otherCase, subfolders) = Contents(folder, scheme, ignoreCase);
            foreach (var subfolder in subfolders)
            {
                ignored.Add(new IgnoredFolder(IgnoredFolderKind.Nested, name + "/" + subfolder));
            }

            if (!csv)
            {
                ignored.Add(new IgnoredFolder(IgnoredFolderKind.NoCsv, name, otherCase is null ? null : $"holds {otherCase}"));
                continue;
            }

            keys.Add(key);
        }

        keys.Sort(StringComparer.Ordinal);
        ignored.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new PartitionCatalog(scheme, keys, ignored);
    }

    /// <summary>One warning line per kind of ignored folder, with the count and a few examples; empty when there are none.</summary>
    /// <param name="raw">The landing zone as the user knows it.</param>
    public IReadOnlyList<string> Warnings(string raw)
    {
        var lines = new List<string>();
        var folder = _scheme.FolderPrefix + _scheme.Pattern;
        var lowerCase = string.Equals(_scheme.Key, _scheme.Key.ToLowerInvariant(), StringComparison.Ordinal) ? ", in lower case" : $", the key written {_scheme.Key}";
        var noun = _scheme.Grain == PartitionGrain.Day ? "date" : _scheme.Unit;
        var extension = _scheme.Files.StartsWith("*.", StringComparison.Ordinal) && _scheme.Files.AsSpan(1).IndexOfAny('*', '?') < 0 ? _scheme.Files[1..] : null;
        var noFile = extension is null ? $"no file matching {_scheme.Files}" : $"no {extension} file";
        var needs = $"a partition needs at least one file named {_scheme.Files}{(extension is null ? " (files: in the pipeline file)" : " (the extension in lower case)")}";
        foreach (var group in IgnoredFolders.GroupBy(f => f.Kind).OrderBy(g => g.Key))
        {
            var count = group.Count();
            var names = group.Take(Examples).Select(f => f.Note is null ? f.Path : $"{f.Path} ({f.Note})").ToList();
            var examples = string.Join(", ", names) + (count > Examples ? string.Create(CultureInfo.InvariantCulture, $" and {count - Examples:N0} more") : string.Empty);
            var folders = count == 1 ? "1 folder" : string.Create(CultureInfo.InvariantCulture, $"{count:N0} folders");
            lines.Add(group.Key switch
            {
                IgnoredFolderKind.NotADate => $"{folders} in {raw} {(count == 1 ? "is" : "are")} named {_scheme.FolderPrefix}… without a {_scheme.Pattern} {noun} and {(count == 1 ? "is" : "are")} ignored: {examples}; rename them {folder} (e.g. {_scheme.FolderPrefix}{_scheme.Example}, partitions: grain: {_scheme.GrainName}).",
                IgnoredFolderKind.OtherCase => $"{folders} in {raw} {(count == 1 ? "is" : "are")} named like a partition in another case and {(count == 1 ? "is" : "are")} ignored: {examples}; partition folders are named {folder}{lowerCase}.",
                IgnoredFolderKind.NoCsv => $"{folders} in {raw} {(count == 1 ? "holds" : "hold")} {noFile} and {(count == 1 ? "is" : "are")} ignored: {examples}; {needs}.",
                _ => $"{folders} in {raw} {(count == 1 ? "lies" : "lie")} deeper than a partition and {(count == 1 ? "is" : "are")} ignored: {examples}; partitions are the folders {folder} at the top of the landing zone, their files directly inside.",
            });
        }

        return lines;
    }

    /// <summary>Whether the partition folder holds a raw file (by <c>files:</c>), the name of a file that matches only in another case, and its subfolders that hold raw files.</summary>
    private static (bool Csv, string? OtherCase, List<string> Subfolders) Contents(string folder, PartitionScheme scheme, bool ignoreCase)
    {
        var csv = false;
        string? otherCase = null;
        var subfolders = new List<string>();
        var entries = new FileSystemEnumerable<(string Name, bool Directory)>(folder, (ref FileSystemEntry e) => (e.FileName.ToString(), e.IsDirectory), Entries);
        foreach (var (name, directory) in entries)
        {
            if (directory)
            {
                if (HoldsRawFiles(Path.Combine(folder, name), scheme, ignoreCase))
                {
                    subfolders.Add(name);
                }
            }
            else if (scheme.Matches(name, ignoreCase))
            {
                csv = true;
            }
            else if (scheme.Matches(name, ignoreCase: true))
            {
                otherCase ??= name;
            }
        }

        subfolders.Sort(StringComparer.Ordinal);
        return (csv, otherCase, subfolders);
    }

    private static bool HoldsRawFiles(string folder, PartitionScheme scheme, bool ignoreCase) =>
        Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 })
            .Any(f => scheme.Matches(Path.GetFileName(f.AsSpan()), ignoreCase));

    /// <summary>Folders named like partitions below a folder of the landing zone that is not one.</summary>
    private static IEnumerable<IgnoredFolder> NestedPartitions(string folder, string relative, int depth, string prefix)
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
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                yield return new IgnoredFolder(IgnoredFolderKind.Nested, relative + "/" + name);
            }
            else
            {
                foreach (var nested in NestedPartitions(child, relative + "/" + name, depth + 1, prefix))
                {
                    yield return nested;
                }
            }
        }
    }
}
