using Cairn.Engine.Partitions;

namespace Cairn.Service.Triggers;

/// <summary>
/// What a landing zone holds: each file under a <c>date=YYYY-MM-DD/</c> folder, by path relative to the landing zone,
/// with its length and modification time. Two snapshots tell which partitions got a new or changed file.
/// </summary>
internal static class LandingSnapshot
{
    /// <returns>The files, or null when the landing zone does not exist.</returns>
    public static Dictionary<string, (long Length, long Modified)>? Take(string landingZone)
    {
        var files = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        try
        {
            foreach (var folder in new DirectoryInfo(landingZone).EnumerateDirectories(PartitionDates.FolderPrefix + "*"))
            {
                foreach (var file in folder.EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
                {
                    // Cairn's own temp files and hidden files are not data arriving.
                    if (file.Name.StartsWith('.'))
                    {
                        continue;
                    }

                    files[Path.GetRelativePath(landingZone, file.FullName).Replace('\\', '/')] = (file.Length, file.LastWriteTimeUtc.Ticks);
                }
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

    /// <summary>The partitions (days) holding a file that is new or changed in <paramref name="now"/> since <paramref name="before"/>; deleted files change nothing.</summary>
    public static SortedSet<DateOnly> Changed(IReadOnlyDictionary<string, (long Length, long Modified)> before, IReadOnlyDictionary<string, (long Length, long Modified)> now)
    {
        var days = new SortedSet<DateOnly>();
        foreach (var (path, stat) in now)
        {
            if (before.TryGetValue(path, out var old) && old == stat)
            {
                continue;
            }

            var folder = path.Split('/')[0];
            if (PartitionDates.TryParse(folder[PartitionDates.FolderPrefix.Length..], out var day))
            {
                days.Add(day);
            }
        }

        return days;
    }
}
