using System.Diagnostics;
using System.Globalization;
using Cairn.Engine.Checkpoints;
using Cairn.Engine.Configuration;
using Cairn.Engine.Plan;
using Cairn.Engine.Scan;
using Cairn.Engine.Workspace;

namespace Cairn.Bench;

/// <summary>
/// Where the up-to-date decision of the decision-cost pipeline's one cell spends its time, piece by piece, each timed
/// on its first call in this process (what a run pays, compilation included) and then as the fastest of five more
/// calls (the work alone).
/// </summary>
internal static class DecideCommand
{
    public static int Run(string directory)
    {
        directory = Path.GetFullPath(directory);
        var workspace = Path.Combine(directory, "ws");
        var definition = PipelineLoader.Load(Path.Combine(directory, "pipeline", "pipeline.yaml"));
        var plan = PipelinePlan.Build(definition, new Dictionary<string, IReadOnlyList<string>> { ["List"] = [] });
        var options = RunArguments.Parse(
            new Dictionary<string, IReadOnlyList<string>> { ["raw"] = [Path.Combine(directory, "raw")], ["workspace"] = [workspace] },
            "List",
            directory,
            workspace,
            Path.Combine(directory, "raw"),
            ["List"],
            () => null,
            _ => null,
            partitionScheme: definition.Partitions);
        var stage = plan.Stage("List");
        var binder = new CellBinder(options, plan);
        var store = new CheckpointStore(Path.Combine(workspace, "checkpoints"));
        FileHashes hashes = null!;
        CellBinding cell = null!;
        FileReading?[] found = [];
        string[] inputHashes = [];
        var fingerprint = string.Empty;
        CheckpointReadResult previous = null!;

        Time("stat_cache_load", () => hashes = FileHashes.Open(Path.Combine(workspace, ".cairn"), out _));
        Time("bind_with_glob", () => cell = binder.Bind(stage, PipelineCommand.Day));
        Time("stat_inputs", () => found = hashes.GetAll(cell.Inputs.Select(i => i.FullPath).ToList()), () => hashes = FileHashes.Open(Path.Combine(workspace, ".cairn"), out _));
        inputHashes = Array.ConvertAll(found, r => r!.Hash);
        Time("fingerprint", () => fingerprint = Fingerprint.Compute(cell, stage.Descriptor.TaskType.FullName!, stage.Descriptor.CodeVersion, inputHashes));
        Time("checkpoint_read", () => previous = store.Read("List", PipelineCommand.Day));
        Time("decide", () =>
        {
            var decision = UpToDateCheck.Decide(cell, fingerprint, stage.Descriptor.CodeVersion, inputHashes, previous, false, hashes, binder.FullPathOfWorkspaceFile, stage.DirectoryOutputs);
            if (decision.Run)
            {
                throw new InvalidOperationException($"the cell is not up to date ({decision.Reason}); run the pipeline once first");
            }
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"inputs {cell.Inputs.Count}"));
        return 0;
    }

    private static void Time(string name, Action action, Action? between = null)
    {
        var clock = Stopwatch.StartNew();
        action();
        var first = clock.Elapsed.TotalMilliseconds;
        var second = double.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            between?.Invoke();
            clock.Restart();
            action();
            second = Math.Min(second, clock.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {first:0.###} {second:0.###}"));
    }
}
