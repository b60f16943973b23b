using System.Text.RegularExpressions;
using Cairn.Engine.Configuration;
using Cairn.Engine.Model;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Plan;

/// <summary>
/// Declared outputs may not lie in Cairn's own state (<c>.cairn/</c>, <c>checkpoints/</c>, <c>logs/</c>) nor overlap
/// each other: promoting a directory output replaces the folder whole, and removing an output a cell no longer writes
/// deletes it, so an output over the run log or over another stage's files would destroy them. Two paths overlap when
/// they can name the same file, or one can be a folder holding the other; <c>{date}</c> stands for any day.
/// </summary>
internal static partial class OutputOverlaps
{
    /// <summary>Adds a problem naming both sides for every output in Cairn's state and every pair of outputs that overlap.</summary>
    public static void Check(PipelineDefinition pipeline, IReadOnlyList<(StageDefinition Definition, StageDescriptor Descriptor)> stages, List<string> problems)
    {
        var outputs = new List<Output>();
        foreach (var (stage, descriptor) in stages)
        {
            foreach (var (property, template) in stage.Outputs)
            {
                var directory = descriptor.Outputs.Any(o => o.Name == property && o.Kind == StagePropertyKind.OutputDirectory);
                outputs.Add(new Output(stage.Name, property, template, directory));
                var top = template.Relative.Split('/')[0];
                if (WorkspacePaths.ReservedFolders.Contains(top, StringComparer.Ordinal))
                {
                    problems.Add($"{pipeline.FilePath}: stage '{stage.Name}' output '{property}: {template}' lies in {top}/, Cairn's own state (.cairn/ holds the lock, the stat cache and the run log; checkpoints/ and logs/ the cells' records), which a run would overwrite or delete. Put the output elsewhere in the workspace.");
                }
            }
        }

        for (var i = 0; i < outputs.Count; i++)
        {
            for (var j = i + 1; j < outputs.Count; j++)
            {
                var (a, b) = (outputs[i], outputs[j]);
                if (string.Equals(a.Path.Shape, b.Path.Shape, StringComparison.Ordinal))
                {
                    // Two stages writing one path is the "both write" problem PipelinePlan reports already.
                    if (a.Stage == b.Stage)
                    {
                        problems.Add($"{pipeline.FilePath}: {a} and {b} are the same path; give each its own.");
                    }
                }
                else if (Within(b, a) || Within(a, b))
                {
                    var (outer, inner) = Within(b, a) ? (a, b) : (b, a);
                    problems.Add(outer.Directory
                        ? $"{pipeline.FilePath}: {inner} lies inside the directory output of {outer}; promoting a directory output replaces the folder whole, which would delete the other. Give each its own path."
                        : $"{pipeline.FilePath}: {inner} lies inside {outer}, which is a file; a path cannot be a file and a folder. Give each its own path.");
                }
                else if (a.Segments.Length == b.Segments.Length && a.Segments.Select((s, k) => Matches(s, b.Segments[k])).All(m => m))
                {
                    problems.Add($"{pipeline.FilePath}: {a} and {b} can name the same file; give each its own path.");
                }
            }
        }
    }

    /// <summary>Whether <paramref name="inner"/> can lie strictly inside <paramref name="outer"/>.</summary>
    private static bool Within(Output inner, Output outer) =>
        inner.Segments.Length > outer.Segments.Length && outer.Segments.Select((s, k) => Matches(s, inner.Segments[k])).All(m => m);

    /// <summary>Whether two path segments can be the same name, a placeholder standing for any text.</summary>
    private static bool Matches(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return true;
        }

        static Regex Pattern(string segment) =>
            new("^" + string.Join(".+", Placeholder().Split(segment).Select(Regex.Escape)) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

        static string Sample(string segment) => Placeholder().Replace(segment, "2000-01-01");

        return Pattern(a).IsMatch(Sample(b)) || Pattern(b).IsMatch(Sample(a));
    }

    [GeneratedRegex(@"\{(?:date|each)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    private sealed record Output(string Stage, string Property, PathTemplate Path, bool Directory)
    {
        public string[] Segments { get; } = Path.Relative.Split('/');

        public override string ToString() => $"stage '{Stage}' output '{Property}: {Path}'";
    }
}
