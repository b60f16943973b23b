using Cairn.Engine.Configuration;

namespace Cairn.Engine.Partitions;

/// <summary>
/// The output of a stage that fans out (<c>fans_out: true</c>): <c>landing/date={partition}/flights.csv</c> is the
/// folder <c>landing</c>, which the stage's one cell owns whole, and one <c>date=KEY/flights.csv</c> in it per
/// partition the stage writes. The partitions found there, not the raw landing zone's, are the partitions of the
/// stages downstream.
/// </summary>
/// <param name="Stage">The stage that fans out.</param>
/// <param name="Property">Its output that holds the partitions.</param>
/// <param name="Folder">The workspace folder the partitions are written into, <c>landing</c>.</param>
/// <param name="FileName">The file each partition folder holds, <c>flights.csv</c>.</param>
/// <param name="Scheme">The pipeline's partitions, with <c>files:</c> the file the stage writes per partition.</param>
internal sealed record FanOutLayout(string Stage, string Property, string Folder, string FileName, PartitionScheme Scheme)
{
    /// <summary>One partition's file below <see cref="Folder"/>: <c>date={partition}/flights.csv</c>.</summary>
    public string Layout => $"{Scheme.FolderPrefix}{PathTemplate.PartitionPlaceholder}/{FileName}";

    /// <summary>The path the stage task is given for the output: the staged folder, then <see cref="Layout"/>, whose <c>{partition}</c> it replaces per partition.</summary>
    public string TaskPath(string stagedFolder) => Path.Combine(stagedFolder, Scheme.FolderPrefix + PathTemplate.PartitionPlaceholder, FileName);

    /// <summary>The layout of a fan-out output, or the problem with it (an output of the form <c>FOLDER/KEY={partition}/FILE</c> is needed).</summary>
    public static FanOutLayout? Parse(string stage, string property, PathTemplate template, PartitionScheme scheme, out string? problem)
    {
        problem = null;
        var segments = template.Relative.Replace(PathTemplate.DatePlaceholder, PathTemplate.PartitionPlaceholder, StringComparison.Ordinal).Split('/');
        var partition = scheme.FolderPrefix + PathTemplate.PartitionPlaceholder;
        var at = Array.IndexOf(segments, partition);
        var example = $"data/landed/{partition}/{(segments.Length > 0 && !segments[^1].Contains('{', StringComparison.Ordinal) ? segments[^1] : "part.csv")}";
        if (at < 1 || at != segments.Length - 2 || segments.Where((s, i) => i != at && s.Contains('{', StringComparison.Ordinal)).Any())
        {
            problem = $"stage '{stage}' fans out, so its output '{property}: {template}' must be a folder, then one partition folder {partition}, then the file each partition holds, e.g. {example}; the partitions found there are the partitions of the stages that read it.";
            return null;
        }

        return new FanOutLayout(stage, property, string.Join('/', segments[..at]), segments[^1], scheme with { Files = segments[^1] });
    }
}
