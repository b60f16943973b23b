using Cairn.Engine.Partitions;
using Cairn.Engine.Plan;

namespace Cairn.Engine.Exporting;

/// <summary>
/// <c>--target=Export</c>: the pipeline's DAG for another orchestrator, each task one target over one partition range,
/// in one of <see cref="Formats"/>.
/// </summary>
internal static class OrchestratorExport
{
    public const string Airflow = "airflow";
    public const string GitHubActions = "github-actions";

    public static readonly IReadOnlyList<string> Formats = [Airflow, GitHubActions];

    /// <summary>The file written when <c>--output</c> is left out, under the workspace.</summary>
    public static string DefaultOutput(string format, string workspace, string pipeline) =>
        Path.Combine(workspace, "exports", format == Airflow ? $"{pipeline}_dag.py" : $"{pipeline}.yml");

    /// <summary>The file's text for the format.</summary>
    public static (string Text, ExportedDag Dag) Write(string format, PipelinePlan plan, IReadOnlyDictionary<string, IReadOnlyList<string>> targetGraph, string repository, RunOptions options)
    {
        if (format == Airflow)
        {
            var (from, to) = AirflowDag.Range(options.Scheme.Grain);
            var dag = ExportedDag.Of(plan, targetGraph, repository, options, from, to);
            return (AirflowDag.Write(dag), dag);
        }

        var workflow = ExportedDag.Of(plan, targetGraph, repository, options, "\"$CAIRN_FROM\"", "\"$CAIRN_TO\"");
        return (GitHubActionsWorkflow.Write(workflow), workflow);
    }

    /// <summary>What the grain makes one run of the exported DAG cover, for the file's comments.</summary>
    public static string Interval(PartitionScheme scheme) => scheme.IsPartitioned ? $"one {scheme.Unit} ({scheme.Pattern})" : "the whole data set (grain: none)";
}
