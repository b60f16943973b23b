using Cairn.Hashing;

namespace Cairn.Pipelines.Weather;

/// <summary>
/// What a model was built from, for its card: how many features files (partitions), the first and last partition, and
/// one hash over all of them that does not depend on where the workspace is: XXH3-128 (<see cref="ContentHasher"/>, as
/// in checkpoints and package manifests) of the sorted lines <c>&lt;partition&gt;/&lt;file&gt; &lt;hash of the file&gt;</c>.
/// </summary>
internal sealed record InputLineage(int Partitions, string First, string Last, string Hash)
{
    public static InputLineage Of(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ArgumentException("lineage needs at least one file", nameof(paths));
        }

        var lines = paths
            .Select(path => (Name: NameOf(path), Hash: ContentHasher.HashFile(path).ToString()))
            .OrderBy(line => line.Name, StringComparer.Ordinal)
            .ToArray();
        var text = string.Concat(lines.Select(line => line.Name + " " + line.Hash + "\n"));
        return new InputLineage(lines.Length, PartitionOf(lines[0].Name), PartitionOf(lines[^1].Name), ContentHasher.HashString(text).ToString());
    }

    /// <summary>The file's name under its partition folder, e.g. <c>date=2012-01-01/features.csv</c>.</summary>
    public static string NameOf(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.GetFileName(Path.GetDirectoryName(full)) + "/" + Path.GetFileName(full);
    }

    private static string PartitionOf(string name) => name[..name.IndexOf('/', StringComparison.Ordinal)];
}
