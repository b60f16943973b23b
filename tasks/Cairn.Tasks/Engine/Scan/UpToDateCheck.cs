using Cairn.Engine.Checkpoints;
using Cairn.Engine.Plan;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Scan;

/// <summary>
/// Decides whether a cell runs. It is skipped only when its <c>.ok</c> exists and parses, the fingerprint
/// matches, and every recorded output exists with its recorded hash. Anything else runs, with the reason.
/// </summary>
internal static class UpToDateCheck
{
    public static Decision Decide(
        CellBinding cell,
        string fingerprint,
        string codeVersion,
        IReadOnlyList<string> inputHashes,
        CheckpointReadResult previous,
        bool forced,
        FileHashes hashes,
        Func<string, string> fullPathOfOutput,
        IReadOnlySet<string> directoryOutputs)
    {
        if (forced)
        {
            return new Decision(DecisionKind.Forced, "forced");
        }

        if (!previous.Exists)
        {
            return new Decision(DecisionKind.FirstRun, "first run");
        }

        if (previous.Checkpoint is not { } checkpoint)
        {
            return new Decision(DecisionKind.CheckpointUnreadable, $"checkpoint unreadable, treated as stale: {previous.Problem}");
        }

        if (!string.Equals(checkpoint.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            return ExplainFingerprintChange(cell, codeVersion, inputHashes, checkpoint);
        }

        return CheckOutputs(checkpoint, hashes, fullPathOfOutput, directoryOutputs);
    }

    private static Decision ExplainFingerprintChange(CellBinding cell, string codeVersion, IReadOnlyList<string> inputHashes, Checkpoint checkpoint)
    {
        if (!string.Equals(checkpoint.CodeVersion, codeVersion, StringComparison.Ordinal))
        {
            return new Decision(DecisionKind.CodeChanged, "code changed");
        }

        var parameterChanges = new List<string>();
        foreach (var name in cell.Parameters.Keys.Union(checkpoint.Parameters.Keys).Order(StringComparer.Ordinal))
        {
            var now = cell.Parameters.GetValueOrDefault(name);
            var before = checkpoint.Parameters.GetValueOrDefault(name);
            if (!string.Equals(now, before, StringComparison.Ordinal))
            {
                parameterChanges.Add($"{name}: {before ?? "(none)"} → {now ?? "(none)"}");
            }
        }

        if (parameterChanges.Count > 0)
        {
            return new Decision(DecisionKind.ParameterChanged, $"parameter changed ({string.Join("; ", parameterChanges)})");
        }

        var recorded = checkpoint.Inputs.ToDictionary(i => (i.Property, i.Path), i => i.Hash);
        var changed = new List<string>();
        var added = new List<string>();
        for (var i = 0; i < cell.Inputs.Count; i++)
        {
            var input = cell.Inputs[i];
            if (!recorded.Remove((input.Property, input.LogicalPath), out var before))
            {
                added.Add(input.LogicalPath);
            }
            else if (!string.Equals(before, inputHashes[i], StringComparison.Ordinal))
            {
                changed.Add(input.LogicalPath);
            }
        }

        var removed = recorded.Keys.Select(k => k.Path).ToList();
        if (changed.Count + added.Count + removed.Count > 0)
        {
            var parts = new List<string>();
            if (changed.Count > 0)
            {
                parts.Add("input changed: " + Abbreviate(changed));
            }

            if (added.Count > 0)
            {
                parts.Add("input added: " + Abbreviate(added));
            }

            if (removed.Count > 0)
            {
                parts.Add("input removed: " + Abbreviate(removed));
            }

            return new Decision(DecisionKind.InputChanged, string.Join("; ", parts));
        }

        var recordedOutputs = checkpoint.Outputs.Select(o => o.Property).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return new Decision(DecisionKind.OutputsRebound, $"output paths changed (was {string.Join(", ", recordedOutputs)} at other paths)");
    }

    private static Decision CheckOutputs(Checkpoint checkpoint, FileHashes hashes, Func<string, string> fullPathOfOutput, IReadOnlySet<string> directoryOutputs)
    {
        foreach (var output in checkpoint.Outputs)
        {
            if (output.Hash == DirectoryMarker)
            {
                if (!Directory.Exists(fullPathOfOutput(output.Path)))
                {
                    return new Decision(DecisionKind.OutputMissing, $"output missing: {output.Path}");
                }

                continue;
            }

            var hash = hashes.Get(fullPathOfOutput(output.Path));
            if (hash is null)
            {
                return new Decision(DecisionKind.OutputMissing, $"output missing: {output.Path}");
            }

            if (!string.Equals(hash, output.Hash, StringComparison.Ordinal))
            {
                return new Decision(DecisionKind.OutputModified, $"output modified: {output.Path}");
            }
        }

        // A directory output is owned whole: a file that appeared in it since is a modification too.
        foreach (var directory in checkpoint.Outputs.Where(o => o.Hash == DirectoryMarker && directoryOutputs.Contains(o.Property)))
        {
            var recordedFiles = checkpoint.Outputs.Where(o => o.Property == directory.Property && o.Hash != DirectoryMarker).Select(o => o.Path).ToHashSet(StringComparer.Ordinal);
            var full = fullPathOfOutput(directory.Path);
            foreach (var file in Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories))
            {
                var logical = directory.Path + Path.GetRelativePath(full, file).Replace('\\', '/');
                if (!recordedFiles.Contains(logical))
                {
                    return new Decision(DecisionKind.OutputModified, $"output modified: {logical} is not part of the recorded output");
                }
            }
        }

        return Decision.UpToDate;
    }

    /// <summary>The hash recorded for a directory output's own entry (its files follow with real hashes).</summary>
    public const string DirectoryMarker = "directory";

    private static string Abbreviate(List<string> paths) =>
        paths.Count <= 3 ? string.Join(", ", paths) : $"{string.Join(", ", paths.Take(3))} and {paths.Count - 3} more";
}
