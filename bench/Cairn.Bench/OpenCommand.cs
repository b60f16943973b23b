using System.Diagnostics;
using System.Globalization;
using Cairn.Engine.Configuration;
using Cairn.Engine.Model;
using Cairn.Engine.Partitions;
using Cairn.Engine.Plan;
using Cairn.Engine.Workspace;

namespace Cairn.Bench;

/// <summary>
/// Where opening a run of the sample pipeline spends its time, piece by piece, each timed on its first call in this
/// process (what a real run pays, compilation included) and again on a second call (the work alone).
/// </summary>
internal static class OpenCommand
{
    public static int Run(string repository, string workspace, string raw)
    {
        var pipelineFile = Path.Combine(repository, "pipelines/weather/pipeline.yaml");
        // The sample's stages in its pipeline file's order (its data-flow order), chained as build/build.cake's targets run.
        var stages = PipelineLoader.Load(pipelineFile).Stages.Select(s => s.Name).ToArray();
        var graph = stages.Select((stage, i) => (stage, i)).ToDictionary(s => s.stage, s => (IReadOnlyList<string>)(s.i == 0 ? [] : [stages[s.i - 1]]));
        PipelineDefinition definition = null!;
        PipelinePlan plan = null!;
        Time("load_pipeline_file", () => definition = PipelineLoader.Load(pipelineFile));
        Time("plan_with_code_versions", () => plan = PipelinePlan.Build(definition, graph));
        Time("code_versions", () =>
        {
            foreach (var stage in plan.Stages)
            {
                CodeVersion.Of(stage.Descriptor.TaskType);
            }
        });
        Time("partition_scan", () => PartitionCatalog.Scan(raw, definition.Partitions));
        Time("arguments_with_scan", () => RunArguments.Parse(
            new Dictionary<string, IReadOnlyList<string>> { ["raw"] = [raw], ["workspace"] = [workspace] },
            "Package",
            Environment.CurrentDirectory,
            workspace,
            raw,
            stages,
            () => null,
            _ => null,
            partitionScheme: definition.Partitions));
        Time("stat_cache_load", () => StatCache.Load(Path.Combine(workspace, ".cairn", StatCache.FileName), out _));
        return 0;
    }

    private static void Time(string name, Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        var first = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        action();
        var second = clock.Elapsed.TotalMilliseconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {first:0.###} {second:0.###}"));
    }
}
