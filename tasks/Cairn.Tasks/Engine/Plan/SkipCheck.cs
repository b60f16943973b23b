using Cairn.Engine.Checkpoints;

namespace Cairn.Engine.Plan;

/// <summary>
/// <c>--skip=Stage</c> leaves a stage out of a run, which is only sound when the stage's recorded outputs are all
/// there for the selected partitions: downstream stages read them as they are.
/// </summary>
internal static class SkipCheck
{
    public static IReadOnlyList<string> Problems(RunOptions options, PipelinePlan plan)
    {
        var problems = new List<string>();
        var store = new CheckpointStore(Path.Combine(options.WorkspaceDirectory, "checkpoints"), partitionKey: options.Scheme.Key);
        foreach (var stage in plan.Stages.Where(s => options.SkippedStages.Contains(s.Name)))
        {
            var partitions = stage.Definition.Partitioned ? options.Partitions.Select(p => (string?)p) : [null];
            var missing = new List<string>();
            foreach (var partition in partitions)
            {
                var label = partition is null ? stage.Name : $"{stage.Name} {options.Scheme.Key}={partition}";
                var read = store.Read(stage.Name, partition);
                if (read.Checkpoint is not { } checkpoint)
                {
                    missing.Add($"{label} (never built)");
                    continue;
                }

                var absent = checkpoint.Outputs.FirstOrDefault(o => !Path.Exists(Path.Combine(options.WorkspaceDirectory, o.Path.TrimEnd('/'))));
                if (absent is not null)
                {
                    missing.Add($"{label} ({absent.Path} is missing)");
                }
            }

            if (missing.Count > 0)
            {
                var examples = string.Join(", ", missing.Take(3)) + (missing.Count > 3 ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" and {missing.Count - 3:N0} more") : string.Empty);
                problems.Add($"--skip={stage.Name}: {stage.Name}'s outputs are not all there: {examples}. Run it first (without --skip={stage.Name}).");
            }
        }

        return problems;
    }
}
