using System.Text;

namespace Cairn.Engine.Partitions;

/// <summary>
/// Makes the default raw landing zone once from a pipeline's shipped sample: one
/// <c>date=YYYY-MM-DD/&lt;name&gt;.csv</c> per distinct value of the partition column (the key and grain the pipeline
/// declares), or the sample itself for a pipeline without partitions.
/// </summary>
internal static class LandingZone
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The partition keys the landing zone holds (or would hold) once made from the sample; writes nothing.</summary>
    public static IReadOnlyList<string> Keys(string samplePath, string partitionColumn, PartitionScheme scheme) =>
        scheme.IsPartitioned ? [.. Split(samplePath, partitionColumn, scheme).Keys] : [];

    /// <summary>Makes the landing zone from the sample unless it exists.</summary>
    /// <returns>The number of days made by this call; 0 when the landing zone was there already.</returns>
    public static int EnsureCreated(string samplePath, string partitionColumn, string landingDirectory, PartitionScheme scheme)
    {
        if (Directory.Exists(landingDirectory))
        {
            return 0;
        }

        var byDate = scheme.IsPartitioned
            ? Split(samplePath, partitionColumn, scheme)
            : new SortedDictionary<string, StringBuilder>(StringComparer.Ordinal) { [string.Empty] = new(File.ReadAllText(samplePath, Utf8NoBom)) };

        // Build in a sibling folder and rename it into place, so a crash never leaves half a landing zone.
        var parent = Path.GetDirectoryName(Path.GetFullPath(landingDirectory))!;
        Directory.CreateDirectory(parent);
        var building = Path.Combine(parent, $".{Path.GetFileName(landingDirectory)}.{Environment.ProcessId}.building");
        if (Directory.Exists(building))
        {
            Directory.Delete(building, recursive: true);
        }

        var fileName = Path.GetFileName(samplePath);
        foreach (var (date, content) in byDate)
        {
            var folder = date.Length == 0 ? building : Path.Combine(building, scheme.FolderPrefix + date);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, fileName), content.ToString(), Utf8NoBom);
        }

        try
        {
            Directory.Move(building, landingDirectory);
        }
        catch (IOException) when (Directory.Exists(landingDirectory))
        {
            // Another run made it first; theirs is as good as ours.
            Directory.Delete(building, recursive: true);
            return 0;
        }

        return byDate.Count;
    }

    /// <summary>The sample's rows by partition (header first in each), in key order.</summary>
    private static SortedDictionary<string, StringBuilder> Split(string samplePath, string partitionColumn, PartitionScheme scheme)
    {
        var lines = File.ReadAllLines(samplePath, Utf8NoBom);
        if (lines.Length == 0)
        {
            throw new InvalidDataException($"The sample {samplePath} is empty; it needs a header row naming '{partitionColumn}'.");
        }

        var header = lines[0].TrimStart('\uFEFF');
        var column = Array.FindIndex(header.Split(','), c => string.Equals(c.Trim(), partitionColumn, StringComparison.OrdinalIgnoreCase));
        if (column < 0)
        {
            throw new InvalidDataException($"The sample {samplePath} has no column '{partitionColumn}' to split it by; its header is '{header}'. Fix partition_column in the pipeline file.");
        }

        var byDate = new SortedDictionary<string, StringBuilder>(StringComparer.Ordinal);
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var fields = lines[i].Split(',');
            var key = column < fields.Length ? fields[column].Trim() : string.Empty;
            if (!scheme.IsKey(key))
            {
                throw new InvalidDataException($"{samplePath}:{i + 1}: '{key}' in column '{partitionColumn}' is not a {scheme.Pattern} key (partitions: grain: {scheme.GrainName}).");
            }

            if (!byDate.TryGetValue(key, out var builder))
            {
                builder = new StringBuilder(header).Append('\n');
                byDate[key] = builder;
            }

            builder.Append(lines[i]).Append('\n');
        }

        return byDate;
    }
}
