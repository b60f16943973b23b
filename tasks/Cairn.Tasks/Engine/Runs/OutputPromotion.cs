using Cairn.Engine.Checkpoints;
using Cairn.Engine.Plan;
using Cairn.Engine.Scan;
using Cairn.Engine.Workspace;
using Cairn.Hashing;

namespace Cairn.Engine.Runs;

/// <summary>
/// Moves a successful attempt's staged outputs over their final paths (a directory output replaced whole, an
/// identical file left alone with its timestamp; the partitions of a stage that fans out that lie outside the run's
/// selection kept as they were) and removes the outputs the cell recorded before but no longer
/// writes, keeping the run's file hashes in step. Nothing is written or deleted at a path that symbolic links take
/// outside the workspace: the cell fails instead, naming the path.
/// </summary>
internal sealed class OutputPromotion
{
    private readonly WorkspaceLayout _layout;
    private readonly FileHashes _hashes;
    private readonly KnownDirectories _directories;
    private readonly WorkspacePaths _paths;
    private readonly Stages.PartitionSelection _selection;

    public OutputPromotion(WorkspaceLayout layout, FileHashes hashes, KnownDirectories directories, WorkspacePaths paths, Stages.PartitionSelection? selection = null)
    {
        _selection = selection ?? Stages.PartitionSelection.All;
        _layout = layout;
        _hashes = hashes;
        _directories = directories;
        _paths = paths;
    }

    /// <summary>Removes what an attempt staged at the paths, files or folders (directory outputs), if anything.</summary>
    public static void DeleteStaged(IEnumerable<string> staged)
    {
        foreach (var path in staged)
        {
            DeleteStaged(path);
        }
    }

    /// <summary>Removes what an attempt staged at the path, a file or a folder (directory outputs), if anything.</summary>
    public static void DeleteStaged(string staged)
    {
        if (File.Exists(staged))
        {
            File.Delete(staged);
        }
        else if (Directory.Exists(staged))
        {
            Directory.Delete(staged, recursive: true);
        }
    }

    /// <returns>The outputs as the checkpoint records them.</returns>
    /// <exception cref="IOException">An output's path, or one the previous checkpoint recorded, lies outside the workspace once links are followed.</exception>
    public List<CheckpointFile> Promote(StagePlan stage, CellDecision decision, IReadOnlyDictionary<string, string> stagedOutputs)
    {
        var cell = decision.Cell;
        var found = new FileStatKind[cell.Outputs.Count];
        for (var i = 0; i < cell.Outputs.Count; i++)
        {
            found[i] = FolderMadeInside(cell.Outputs[i]);
        }

        RemoveOutputsNoLongerWritten(cell, decision.Previous);
        var recorded = new List<CheckpointFile>();
        for (var i = 0; i < cell.Outputs.Count; i++)
        {
            var output = cell.Outputs[i];
            var staged = stagedOutputs[output.Property];
            if (stage.DirectoryOutputs.Contains(output.Property))
            {
                // Made again if a removed output of the cell's took it (a directory output it no longer writes).
                _directories.Ensure(Path.GetDirectoryName(output.FullPath)!);
                var kept = stage.Definition.FanOut is { } fanOut && fanOut.Property == output.Property && !_selection.IsAll
                    ? KeepUnselected(output, staged, fanOut)
                    : null;
                PromoteDirectory(output, staged, recorded, kept);
            }
            else
            {
                PromoteFile(output, staged, recorded, found[i]);
            }
        }

        return recorded;
    }

    /// <summary>
    /// Refuses an output that is not the workspace's, and makes its folder: checked again right before anything is
    /// moved there. A folder made just now holds nothing and is no link (<see cref="WorkspacePaths.MakeFolder"/>): in a
    /// first run, where every output's folder is new, that is all it costs, a <c>mkdir</c>.
    /// </summary>
    /// <returns>What is at the output's path now, a link not followed.</returns>
    private FileStatKind FolderMadeInside(BoundFile output)
    {
        if (WorkspacePaths.LexicalProblem(output.LogicalPath) is { } lexical)
        {
            throw Outside(output.LogicalPath, lexical);
        }

        var folder = Path.GetDirectoryName(output.FullPath)!;
        // A folder outside is not made; the output's own check below refuses it, naming the output's path.
        if (!_directories.Knows(folder) && _paths.MakeFolder(folder, out var made) is null)
        {
            _directories.Add(folder);
            if (made)
            {
                return FileStatKind.Missing;
            }
        }

        return _paths.OutsideProblem(output.FullPath, out var kind, out _) is { } outside ? throw Outside(output.LogicalPath, outside) : kind;
    }

    private void RemoveOutputsNoLongerWritten(CellBinding cell, Checkpoint? previous)
    {
        var current = cell.Outputs.Select(o => o.LogicalPath).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in previous?.Outputs ?? [])
        {
            var logical = stale.Path.TrimEnd('/');
            if (current.Contains(logical) || current.Any(c => logical.StartsWith(c + "/", StringComparison.Ordinal)))
            {
                continue;
            }

            var full = _layout.FullPathOf(logical);
            Inside(full, stale.Path);
            if (stale.Hash == UpToDateCheck.DirectoryMarker && Directory.Exists(full))
            {
                Directory.Delete(full, recursive: true);
                _hashes.ForgetUnder(full);
                _directories.ForgetUnder(full);
            }
            else if (File.Exists(full))
            {
                File.Delete(full);
                _hashes.Forget(full);
            }
        }
    }

    /// <summary>Refuses a path that is not the workspace's: checked again right before anything is deleted or moved there.</summary>
    private void Inside(string fullPath, string logical)
    {
        if ((WorkspacePaths.LexicalProblem(logical) ?? _paths.OutsideProblem(fullPath)) is { } problem)
        {
            throw Outside(logical, problem);
        }
    }

    private static IOException Outside(string logical, string problem) =>
        new($"Cairn writes and deletes only inside the workspace, and {logical} is not there: {problem}");

    /// <summary>
    /// Moves the partitions landed before that the run did not select from the fan-out folder into the staged one, so
    /// that promoting it whole leaves them as they were: the same files (a rename keeps inode and timestamps), read from
    /// the stat cache rather than hashed again.
    /// </summary>
    /// <returns>The readings of the files moved, by their path relative to the folder.</returns>
    private Dictionary<string, FileReading> KeepUnselected(BoundFile output, string staged, Partitions.FanOutLayout layout)
    {
        var kept = new Dictionary<string, FileReading>(StringComparer.Ordinal);
        if (!Directory.Exists(output.FullPath))
        {
            return kept;
        }

        var prefix = layout.Scheme.FolderPrefix;
        foreach (var folder in Directory.EnumerateDirectories(output.FullPath))
        {
            var name = Path.GetFileName(folder);
            if (!name.StartsWith(prefix, StringComparison.Ordinal) || name[prefix.Length..] is var key && (!layout.Scheme.IsKey(key) || _selection.Contains(key)))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                if (_hashes.Reading(file) is { } reading)
                {
                    kept[Path.GetRelativePath(output.FullPath, file).Replace('\\', '/')] = reading;
                }
            }

            Directory.Move(folder, Path.Combine(staged, name));
        }

        return kept;
    }

    private void PromoteDirectory(BoundFile output, string staged, List<CheckpointFile> recorded, Dictionary<string, FileReading>? kept = null)
    {
        var files = Directory.EnumerateFiles(staged, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(staged, f).Replace('\\', '/'))
            .Select(relative => (Relative: relative, Reading: kept?.GetValueOrDefault(relative) ?? _hashes.Staged(Path.Combine(staged, relative))))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .ToList();
        if (Directory.Exists(output.FullPath))
        {
            Directory.Delete(output.FullPath, recursive: true);
            _directories.ForgetUnder(output.FullPath);
        }
        else if (File.Exists(output.FullPath))
        {
            File.Delete(output.FullPath);
        }

        Directory.Move(staged, output.FullPath);
        _hashes.ForgetUnder(output.FullPath);
        recorded.Add(new CheckpointFile(output.Property, output.LogicalPath + "/", UpToDateCheck.DirectoryMarker));
        foreach (var (relative, reading) in files)
        {
            recorded.Add(new CheckpointFile(output.Property, output.LogicalPath + "/" + relative, reading.Hash));
            _hashes.Promoted(Path.Combine(output.FullPath, relative), reading);
        }
    }

    /// <param name="output">The output.</param>
    /// <param name="staged">Where its attempt wrote it.</param>
    /// <param name="recorded">The outputs as the checkpoint records them, added to.</param>
    /// <param name="found">What was at the output's path when it was checked, moments ago.</param>
    private void PromoteFile(BoundFile output, string staged, List<CheckpointFile> recorded, FileStatKind found)
    {
        var reading = _hashes.Staged(staged);
        var hash = reading.Hash;
        // Nothing there (every output of a first run): nothing to remove, nothing to compare with.
        if (found != FileStatKind.Missing)
        {
            if (found != FileStatKind.RegularFile && Directory.Exists(output.FullPath))
            {
                Directory.Delete(output.FullPath, recursive: true);
            }

            // Write-only-when-different: an identical output keeps its file and timestamp (and the reading Fresh just took).
            if (string.Equals(_hashes.Fresh(output.FullPath), hash, StringComparison.Ordinal))
            {
                File.Delete(staged);
                recorded.Add(new CheckpointFile(output.Property, output.LogicalPath, hash));
                return;
            }
        }

        MoveOver(staged, output);
        _hashes.Promoted(output.FullPath, reading);
        recorded.Add(new CheckpointFile(output.Property, output.LogicalPath, hash));
    }

    /// <summary>
    /// Renames the staged file over the output (a <c>rename</c>: <see cref="File.Move(string, string, bool)"/> adds an
    /// <c>lstat</c> of the source, a file the engine just hashed). A folder that a removed output took with it is made
    /// again, inside; any other error is met again through .NET, which throws what it throws for it.
    /// </summary>
    private void MoveOver(string staged, BoundFile output)
    {
        var result = SystemCalls.RenameOver(staged, output.FullPath);
        if (result == -SystemCalls.NoSuchFile)
        {
            if (_paths.MakeFolder(Path.GetDirectoryName(output.FullPath)!, out _) is { } problem)
            {
                throw Outside(output.LogicalPath, problem);
            }

            result = SystemCalls.RenameOver(staged, output.FullPath);
        }

        if (result != 0)
        {
            File.Move(staged, output.FullPath, overwrite: true);
        }
    }
}
