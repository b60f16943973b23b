using Cairn.Engine.Checkpoints;
using Cairn.Engine.Plan;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Scan;

/// <summary>
/// Decides whether a cell runs, recording every cause as it goes. A cell is skipped only when its <c>.ok</c> exists
/// and parses, the fingerprint matches, and every recorded output exists with its recorded hash (a directory output
/// holding no other file). Forced, first-run and unreadable cells have that one cause; a changed fingerprint is
/// explained by every difference (code, each parameter, each input, the output paths); a matching one by every
/// output that is missing or modified.
/// </summary>
internal static class UpToDateCheck
{
    /// <summary>The hash recorded for a directory output's own entry (its files follow with real hashes).</summary>
    public const string DirectoryMarker = "directory";

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
            return Decision.Of([Cause.Forced]);
        }

        if (!previous.Exists)
        {
            return Decision.Of([Cause.FirstRun]);
        }

        if (previous.Checkpoint is not { } checkpoint)
        {
            return Decision.Of([new Cause(CauseKind.CheckpointUnreadable) { Detail = previous.Problem }]);
        }

        if (!string.Equals(checkpoint.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            return Decision.Of(FingerprintCauses(cell, codeVersion, inputHashes, checkpoint));
        }

        var outputs = OutputCauses(checkpoint, previous.OutputStats, hashes, fullPathOfOutput, directoryOutputs);
        return outputs is null ? Decision.UpToDate : Decision.Of(outputs);
    }

    private static List<Cause> FingerprintCauses(CellBinding cell, string codeVersion, IReadOnlyList<string> inputHashes, Checkpoint checkpoint)
    {
        var causes = new List<Cause>();
        if (!string.Equals(checkpoint.CodeVersion, codeVersion, StringComparison.Ordinal))
        {
            causes.Add(new Cause(CauseKind.CodeChanged) { Old = checkpoint.CodeVersion, New = codeVersion });
        }

        foreach (var name in cell.Parameters.Keys.Union(checkpoint.Parameters.Keys).Order(StringComparer.Ordinal))
        {
            var now = cell.Parameters.GetValueOrDefault(name);
            var before = checkpoint.Parameters.GetValueOrDefault(name);
            if (!string.Equals(now, before, StringComparison.Ordinal))
            {
                causes.Add(new Cause(CauseKind.ParameterChanged) { Parameter = name, Old = before, New = now });
            }
        }

        var recorded = new Dictionary<(string Property, string Path), string>();
        foreach (var input in checkpoint.Inputs)
        {
            recorded[(input.Property, input.Path)] = input.Hash;
        }

        for (var i = 0; i < cell.Inputs.Count; i++)
        {
            var input = cell.Inputs[i];
            if (!recorded.Remove((input.Property, input.LogicalPath), out var before))
            {
                causes.Add(new Cause(CauseKind.InputAdded) { Path = input.LogicalPath, New = inputHashes[i] });
            }
            else if (!string.Equals(before, inputHashes[i], StringComparison.Ordinal))
            {
                causes.Add(new Cause(CauseKind.InputChanged) { Path = input.LogicalPath, Old = before, New = inputHashes[i] });
            }
        }

        foreach (var ((_, path), hash) in recorded)
        {
            causes.Add(new Cause(CauseKind.InputRemoved) { Path = path, Old = hash });
        }

        var properties = string.Join(", ", checkpoint.Outputs.Select(o => o.Property).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        var recordedOutputs = TopOutputs(checkpoint.Outputs);
        var boundOutputs = cell.Outputs.Select(o => o.LogicalPath).Order(StringComparer.Ordinal).ToList();
        if (!recordedOutputs.SequenceEqual(boundOutputs, StringComparer.Ordinal))
        {
            causes.Add(new Cause(CauseKind.OutputsRebound) { Old = string.Join(", ", recordedOutputs), New = string.Join(", ", boundOutputs), Detail = properties });
        }

        // The fingerprint covers more than these (the task's type name, the partition, the output properties): when
        // none of the above differs, the outputs are what was bound differently.
        if (causes.Count == 0)
        {
            causes.Add(new Cause(CauseKind.OutputsRebound) { Detail = properties });
        }

        return causes;
    }

    /// <summary>The output paths a checkpoint was bound to: files, and directories without the files inside them.</summary>
    private static List<string> TopOutputs(IReadOnlyList<CheckpointFile> outputs)
    {
        var directories = outputs.Where(o => o.Hash == DirectoryMarker).Select(o => o.Path).ToList();
        return outputs
            .Where(o => o.Hash == DirectoryMarker || !directories.Any(d => o.Path.StartsWith(d, StringComparison.Ordinal)))
            .Select(o => o.Path.TrimEnd('/'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <returns>Every recorded output that is missing or modified, and every file that appeared in a directory output; null when none.</returns>
    private static List<Cause>? OutputCauses(Checkpoint checkpoint, IReadOnlyList<PathStat?>? stats, FileHashes hashes, Func<string, string> fullPathOfOutput, IReadOnlySet<string> directoryOutputs)
    {
        List<Cause>? causes = null;
        List<string>? missingDirectories = null;
        for (var i = 0; i < checkpoint.Outputs.Count; i++)
        {
            var output = checkpoint.Outputs[i];
            if (output.Hash == DirectoryMarker)
            {
                if (!Directory.Exists(fullPathOfOutput(output.Path)))
                {
                    (causes ??= []).Add(new Cause(CauseKind.OutputMissing) { Path = output.Path });
                    (missingDirectories ??= []).Add(output.Path);
                }

                continue;
            }

            var now = hashes.Reading(fullPathOfOutput(output.Path), stats?[i]);
            if (now is null)
            {
                // The files of a missing directory are not named one by one: the directory says it.
                if (missingDirectories?.Any(d => output.Path.StartsWith(d, StringComparison.Ordinal)) != true)
                {
                    (causes ??= []).Add(new Cause(CauseKind.OutputMissing) { Path = output.Path, Old = output.Hash });
                }
            }
            else if (!now.HashIs(output.Hash))
            {
                (causes ??= []).Add(new Cause(CauseKind.OutputModified) { Path = output.Path, Old = output.Hash, New = now.Hash });
            }
        }

        // A directory output is owned whole: a file that appeared in it since is a modification too.
        foreach (var directory in checkpoint.Outputs.Where(o => o.Hash == DirectoryMarker && directoryOutputs.Contains(o.Property)))
        {
            var full = fullPathOfOutput(directory.Path);
            if (missingDirectories?.Contains(directory.Path) == true)
            {
                continue;
            }

            var recordedFiles = checkpoint.Outputs.Where(o => o.Property == directory.Property && o.Hash != DirectoryMarker).Select(o => o.Path).ToHashSet(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories))
            {
                var logical = directory.Path + Path.GetRelativePath(full, file).Replace('\\', '/');
                if (!recordedFiles.Contains(logical))
                {
                    (causes ??= []).Add(new Cause(CauseKind.OutputModified) { Path = logical });
                }
            }
        }

        return causes;
    }
}
