using System.Globalization;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Publishing;

/// <summary>
/// The folder of published versions (<c>artifacts/</c>): one subfolder per version, never replaced once there, and
/// <c>LATEST</c> naming one of them. A version's publication time is its folder's write time, set when it is
/// published (again): the order Rollback lists and <c>keep:</c> prunes by.
/// </summary>
internal sealed class PackageVersions
{
    public const string LatestFileName = "LATEST";

    // A version being copied in; a crash leaves it, and the next publication removes it.
    private const string IncomingPrefix = ".incoming-";

    public PackageVersions(string folder) => Folder = folder;

    public string Folder { get; }

    private string LatestPath => Path.Combine(Folder, LatestFileName);

    /// <summary>The versions, oldest first.</summary>
    public IReadOnlyList<PackageVersion> List() =>
        !Directory.Exists(Folder)
            ? []
            : new DirectoryInfo(Folder).EnumerateDirectories()
                .Where(d => !d.Name.StartsWith('.'))
                .Select(d => new PackageVersion(d.Name, new DateTimeOffset(d.LastWriteTimeUtc, TimeSpan.Zero)))
                .OrderBy(v => v.PublishedAt)
                .ThenBy(v => v.Name, StringComparer.Ordinal)
                .ToList();

    /// <summary>The version <c>LATEST</c> names, when it names one that is there.</summary>
    public string? Latest()
    {
        if (!File.Exists(LatestPath))
        {
            return null;
        }

        var name = File.ReadAllText(LatestPath).Trim();
        return IsVersionName(name) && Directory.Exists(Path.Combine(Folder, name)) ? name : null;
    }

    /// <summary>Writes <c>LATEST</c> (atomically) naming the version.</summary>
    public void PointLatestAt(string name) => AtomicFile.WriteAllText(LatestPath, name + "\n");

    /// <summary>
    /// Copies a built version in under its name unless that version is there already (a content-addressed name: the
    /// same name is the same bytes), and marks it published now.
    /// </summary>
    /// <returns>True when the version was new.</returns>
    public bool Publish(string builtFolder, DateTimeOffset now)
    {
        var name = Path.GetFileName(builtFolder);
        Directory.CreateDirectory(Folder);
        foreach (var leftover in Directory.EnumerateDirectories(Folder, IncomingPrefix + "*"))
        {
            Directory.Delete(leftover, recursive: true);
        }

        var target = Path.Combine(Folder, name);
        var added = !Directory.Exists(target);
        if (added)
        {
            var incoming = Path.Combine(Folder, IncomingPrefix + name);
            CopyFolder(builtFolder, incoming);
            Directory.Move(incoming, target);
        }

        Directory.SetLastWriteTimeUtc(target, now.UtcDateTime);
        return added;
    }

    /// <summary>Removes the oldest versions beyond <paramref name="keep"/>, never the one <c>LATEST</c> names.</summary>
    /// <returns>The names removed, oldest first.</returns>
    public IReadOnlyList<string> Prune(int keep)
    {
        var latest = Latest();
        var versions = List();
        var removed = new List<string>();
        var excess = versions.Count - keep;
        foreach (var version in versions)
        {
            if (removed.Count >= excess)
            {
                break;
            }

            if (version.Name == latest)
            {
                continue;
            }

            Directory.Delete(Path.Combine(Folder, version.Name), recursive: true);
            removed.Add(version.Name);
        }

        return removed;
    }

    /// <summary>The versions a prefix of a name or of a hash names.</summary>
    public IReadOnlyList<PackageVersion> Matching(string prefix) =>
        List().Where(v => v.Name.StartsWith(prefix, StringComparison.Ordinal) || v.Hash.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>One line per version, newest first, the one <c>LATEST</c> names marked.</summary>
    public IEnumerable<string> Lines()
    {
        var latest = Latest();
        return List().Reverse().Select(v => string.Create(CultureInfo.InvariantCulture, $"  {v.Name}  published {v.PublishedAt:yyyy-MM-dd HH:mm:ss}Z{(v.Name == latest ? "  (LATEST)" : string.Empty)}"));
    }

    private static bool IsVersionName(string name) =>
        name.Length > 0 && !name.StartsWith('.') && name.IndexOfAny(['/', '\\']) < 0 && name is not ".." and not ".";

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var folder in Directory.EnumerateDirectories(from))
        {
            CopyFolder(folder, Path.Combine(to, Path.GetFileName(folder)));
        }
    }
}
