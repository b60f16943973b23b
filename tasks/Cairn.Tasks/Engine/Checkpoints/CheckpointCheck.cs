using Cairn.Engine.Workspace;

namespace Cairn.Engine.Checkpoints;

/// <summary>
/// A parsed <c>.ok</c> checked whole before anything uses it: every field a checkpoint must have is there (JSON
/// allows <c>null</c> where the record does not), and every output it names lies inside the workspace, out of
/// Cairn's own folders, after symbolic links are followed. A run deletes a recorded output it no longer writes, so a
/// checkpoint is never trusted to name what that may be.
/// </summary>
internal static class CheckpointCheck
{
    /// <param name="checkpoint">The parsed checkpoint.</param>
    /// <param name="paths">The workspace's paths.</param>
    /// <param name="outputStats">Each output's stat taken by the check (<see cref="WorkspacePaths.OutsideProblem(string, out PathStat?)"/>), when it can be used.</param>
    /// <returns>What is wrong with the checkpoint, or null when it can be used.</returns>
    public static string? Problem(Checkpoint checkpoint, WorkspacePaths paths, out PathStat?[]? outputStats)
    {
        outputStats = null;
        // Built only when a field is missing: every cell of a no-op is checked, and almost none lacks one.
        List<string>? missing = null;
        Require(ref missing, checkpoint.Stage, "stage");
        Require(ref missing, checkpoint.Fingerprint, "fingerprint");
        Require(ref missing, checkpoint.HashAlgorithm, "hashAlgorithm");
        Require(ref missing, checkpoint.CodeVersion, "codeVersion");
        Require(ref missing, checkpoint.Inputs, "inputs");
        Require(ref missing, checkpoint.Outputs, "outputs");
        Require(ref missing, checkpoint.Parameters, "parameters");
        Require(ref missing, checkpoint.Metrics, "metrics");
        Require(ref missing, checkpoint.RunId, "runId");
        Require(ref missing, checkpoint.Environment, "environment");
        Require(ref missing, checkpoint.ToolVersion, "toolVersion");
        if (missing is not null)
        {
            return $"{string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} missing or null";
        }

        foreach (var (parameter, value) in checkpoint.Parameters)
        {
            if (value is null)
            {
                return $"parameter {parameter} is null";
            }
        }

        var stats = new PathStat?[checkpoint.Outputs.Count];
        for (var i = 0; i < stats.Length; i++)
        {
            var output = checkpoint.Outputs[i];
            if (output?.Property is null || output.Path is null || output.Hash is null)
            {
                return "an output is missing its property, path or hash";
            }

            if (WorkspacePaths.LexicalProblem(output.Path) is { } lexical)
            {
                return $"its outputs name {lexical}";
            }

            if (paths.OutsideProblem(Path.Combine(paths.Root, output.Path), out stats[i]) is { } outside)
            {
                return $"its output {output.Path} lies outside the workspace: {outside}";
            }
        }

        outputStats = stats;
        return null;
    }

    private static void Require(ref List<string>? missing, object? value, string name)
    {
        if (value is null)
        {
            (missing ??= []).Add(name);
        }
    }
}
