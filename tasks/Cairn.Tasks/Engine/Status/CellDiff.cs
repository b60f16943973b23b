using Cairn.Engine.Checkpoints;
using Cairn.Engine.Plan;
using Cairn.Engine.Scan;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Status;

/// <summary>
/// Every difference between a stale cell's checkpoint and the cell as it is bound now, with old and new hashes and
/// values. The run needs only the first reason (<see cref="UpToDateCheck"/> stops there); a person asking why wants
/// them all.
/// </summary>
internal static class CellDiff
{
    public static IReadOnlyList<StaleCause> Explain(
        Decision decision,
        CellBinding cell,
        string codeVersion,
        IReadOnlyList<string> inputHashes,
        Checkpoint? previous,
        FileHashes hashes,
        Func<string, string> fullPathOfOutput)
    {
        var causes = decision.Kind switch
        {
            DecisionKind.UpToDate => [],
            DecisionKind.FirstRun or DecisionKind.Forced or DecisionKind.CheckpointUnreadable => [],
            DecisionKind.OutputMissing or DecisionKind.OutputModified => Outputs(previous!, hashes, fullPathOfOutput),
            _ => Fingerprint(cell, codeVersion, inputHashes, previous!),
        };
        return causes.Count == 0 && decision.Run ? [new StaleCause(KindOf(decision.Kind), decision.Reason)] : causes;
    }

    /// <summary>Hashes shortened for reading; JSON carries them whole.</summary>
    public static string Short(string? hash) => hash is null ? "none" : hash.Length > 12 ? hash[..12] : hash;

    public static string KindOf(DecisionKind kind) => kind switch
    {
        DecisionKind.FirstRun => "first-run",
        DecisionKind.Forced => "forced",
        DecisionKind.CheckpointUnreadable => "checkpoint-unreadable",
        DecisionKind.CodeChanged => "code-changed",
        DecisionKind.ParameterChanged => "parameter-changed",
        DecisionKind.InputChanged => "input-changed",
        DecisionKind.OutputsRebound => "outputs-rebound",
        DecisionKind.OutputMissing => "output-missing",
        DecisionKind.OutputModified => "output-modified",
        _ => "up-to-date",
    };

    private static List<StaleCause> Fingerprint(CellBinding cell, string codeVersion, IReadOnlyList<string> inputHashes, Checkpoint checkpoint)
    {
        var causes = new List<StaleCause>();
        if (!string.Equals(checkpoint.CodeVersion, codeVersion, StringComparison.Ordinal))
        {
            causes.Add(new StaleCause("code-changed", $"code changed ({Short(checkpoint.CodeVersion)} → {Short(codeVersion)})") { Old = checkpoint.CodeVersion, New = codeVersion });
        }

        foreach (var name in cell.Parameters.Keys.Union(checkpoint.Parameters.Keys).Order(StringComparer.Ordinal))
        {
            var now = cell.Parameters.GetValueOrDefault(name);
            var before = checkpoint.Parameters.GetValueOrDefault(name);
            if (!string.Equals(now, before, StringComparison.Ordinal))
            {
                causes.Add(new StaleCause("parameter-changed", $"parameter changed: {name}: {before ?? "(none)"} → {now ?? "(none)"}") { Name = name, Old = before, New = now });
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
                causes.Add(new StaleCause("input-added", $"input added: {input.LogicalPath}") { Path = input.LogicalPath, New = inputHashes[i] });
            }
            else if (!string.Equals(before, inputHashes[i], StringComparison.Ordinal))
            {
                causes.Add(new StaleCause("input-changed", $"input changed: {input.LogicalPath} ({Short(before)} → {Short(inputHashes[i])})") { Path = input.LogicalPath, Old = before, New = inputHashes[i] });
            }
        }

        foreach (var ((_, path), hash) in recorded)
        {
            causes.Add(new StaleCause("input-removed", $"input removed: {path}") { Path = path, Old = hash });
        }

        var recordedOutputs = TopOutputs(checkpoint.Outputs);
        var boundOutputs = cell.Outputs.Select(o => o.LogicalPath).Order(StringComparer.Ordinal).ToList();
        if (!recordedOutputs.SequenceEqual(boundOutputs, StringComparer.Ordinal))
        {
            var old = string.Join(", ", recordedOutputs);
            var bound = string.Join(", ", boundOutputs);
            causes.Add(new StaleCause("outputs-rebound", $"output paths changed: {old} → {bound}") { Old = old, New = bound });
        }

        return causes;
    }

    /// <summary>The output paths a checkpoint was bound to: files, and directories without the files inside them.</summary>
    private static List<string> TopOutputs(IReadOnlyList<CheckpointFile> outputs)
    {
        var directories = outputs.Where(o => o.Hash == UpToDateCheck.DirectoryMarker).Select(o => o.Path).ToList();
        return outputs
            .Where(o => o.Hash == UpToDateCheck.DirectoryMarker || !directories.Any(d => o.Path.StartsWith(d, StringComparison.Ordinal)))
            .Select(o => o.Path.TrimEnd('/'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static List<StaleCause> Outputs(Checkpoint checkpoint, FileHashes hashes, Func<string, string> fullPathOfOutput)
    {
        var causes = new List<StaleCause>();
        foreach (var output in checkpoint.Outputs)
        {
            if (output.Hash == UpToDateCheck.DirectoryMarker)
            {
                if (!Directory.Exists(fullPathOfOutput(output.Path)))
                {
                    causes.Add(new StaleCause("output-missing", $"output missing: {output.Path}") { Path = output.Path });
                }

                continue;
            }

            var now = hashes.Get(fullPathOfOutput(output.Path));
            if (now is null)
            {
                if (!causes.Any(c => c.Kind == "output-missing" && output.Path.StartsWith(c.Path!, StringComparison.Ordinal)))
                {
                    causes.Add(new StaleCause("output-missing", $"output missing: {output.Path}") { Path = output.Path, Old = output.Hash });
                }
            }
            else if (!string.Equals(now, output.Hash, StringComparison.Ordinal))
            {
                causes.Add(new StaleCause("output-modified", $"output modified: {output.Path} ({Short(output.Hash)} → {Short(now)})") { Path = output.Path, Old = output.Hash, New = now });
            }
        }

        return causes;
    }
}
