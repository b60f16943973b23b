using Cairn.Engine.Partitions;

namespace Cairn.Service.Triggers;

/// <summary>
/// What a landing zone holds: each file under a partition folder (<c>KEY=value/</c>, with the key the pipeline
/// declares), or every file of a pipeline without partitions, by path relative to the landing zone, with its length
/// and modification time. Two snapshots tell which files, and so which partitions, are new or changed.
/// </summary>
internal static class LandingSnapshot
{
    private static readonly EnumerationOptions Everything = new() { RecurseSubdirectories = true, IgnoreInaccessible = true };

    /// <returns>The files, or null when the landing zone does not exist.</returns>
    public static Dictionary<string, (long Length, long Modified)>? Take(string landingZone, PartitionScheme scheme)
    {
        var files = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        try
        {
            var root = new DirectoryInfo(landingZone);
            var found = scheme.IsPartitioned
                ? root.EnumerateDirectories(scheme.FolderPrefix + "*").SelectMany(folder => folder.EnumerateFiles("*", Everything))
                : root.EnumerateFiles("*", Everything);
            foreach (var file in found)
            {
                // Cairn's own temp files and hidden files are not data arriving.
                if (file.Name.StartsWith('.'))
                {
                    continue;
                }

                files[Path.GetRelativePath(landingZone, file.FullName).Replace('\\', '/')] = (file.Length, file.LastWriteTimeUtc.Ticks);
            }
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (IOException) when (!Directory.Exists(landingZone))
        {
            return null;
        }

        return files;
    }

    /// <summary>The files that are new or changed in <paramref name="now"/> since <paramref name="before"/>; deleted files change nothing.</summary>
    public static List<string> Changed(IReadOnlyDictionary<string, (long Length, long Modified)> before, IReadOnlyDictionary<string, (long Length, long Modified)> now) =>
        now.Where(f => !before.TryGetValue(f.Key, out var old) || old != f.Value).Select(f => f.Key).ToList();

    /// <summary>The partitions the files lie in: the keys of their <c>KEY=value</c> folders that are keys of the grain, in order; none without partitions.</summary>
    public static SortedSet<string> Partitions(IEnumerable<string> files, PartitionScheme scheme)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in scheme.IsPartitioned ? files : [])
        {
            var folder = path.Split('/')[0];
            if (folder.StartsWith(scheme.FolderPrefix, StringComparison.Ordinal) && scheme.IsKey(folder[scheme.FolderPrefix.Length..]))
            {
                keys.Add(folder[scheme.FolderPrefix.Length..]);
            }
        }

        return keys;
    }
}
