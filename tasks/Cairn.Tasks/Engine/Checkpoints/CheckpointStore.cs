using System.Text.Json;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Checkpoints;

/// <summary>
/// Reads and writes <c>checkpoints/[date=YYYY-MM-DD/]&lt;Stage&gt;.ok</c> under a workspace. A checkpoint is written
/// whole (temp file, rename) and made durable with the others of its stage by <see cref="Flush"/>, not one by one.
/// A checkpoint is used only when it is whole and names nothing outside the workspace (<see cref="CheckpointCheck"/>);
/// any other is unreadable, with the reason, and its cell is stale.
/// </summary>
internal sealed class CheckpointStore
{
    private readonly string _root;
    private readonly KnownDirectories _directories;
    private readonly WorkspacePaths _paths;
    private readonly List<string> _unflushed = [];

    /// <param name="checkpointsDirectory">The workspace's <c>checkpoints/</c> folder.</param>
    /// <param name="directories">The folders the run made so far.</param>
    /// <param name="paths">The workspace's paths; those of the folder above <paramref name="checkpointsDirectory"/> when null.</param>
    public CheckpointStore(string checkpointsDirectory, KnownDirectories? directories = null, WorkspacePaths? paths = null)
    {
        _root = checkpointsDirectory;
        _directories = directories ?? new KnownDirectories();
        _paths = paths ?? new WorkspacePaths(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(checkpointsDirectory)))!);
    }

    public string PathOf(string stage, string? partition) =>
        partition is null
            ? Path.Combine(_root, stage + ".ok")
            : Path.Combine(_root, Partitions.PartitionDates.FolderPrefix + partition, stage + ".ok");

    public CheckpointReadResult Read(string stage, string? partition)
    {
        var path = PathOf(stage, partition);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return CheckpointReadResult.Missing;
        }
        catch (DirectoryNotFoundException)
        {
            return CheckpointReadResult.Missing;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new CheckpointReadResult(null, $"{path} could not be read ({e.Message})");
        }

        try
        {
            var checkpoint = JsonSerializer.Deserialize(bytes, CheckpointJsonContext.Default.Checkpoint);
            if (checkpoint is null || checkpoint.Format != Checkpoint.CurrentFormat)
            {
                return new CheckpointReadResult(null, $"{path} has an unknown format");
            }

            if (CheckpointCheck.Problem(checkpoint, _paths) is { } problem)
            {
                return new CheckpointReadResult(null, $"{path} is not a checkpoint Cairn can use: {problem}");
            }

            if (!string.Equals(checkpoint.Stage, stage, StringComparison.Ordinal) || !string.Equals(checkpoint.Partition, partition, StringComparison.Ordinal))
            {
                return new CheckpointReadResult(null, $"{path} belongs to another cell ({checkpoint.Stage} {checkpoint.Partition})");
            }

            return new CheckpointReadResult(checkpoint, null);
        }
        catch (JsonException e)
        {
            return new CheckpointReadResult(null, $"{path} is not a readable checkpoint ({e.Message})");
        }
    }

    public void Write(Checkpoint checkpoint)
    {
        var json = JsonSerializer.Serialize(checkpoint, CheckpointJsonContext.Default.Checkpoint);
        var path = PathOf(checkpoint.Stage, checkpoint.Partition);
        _directories.Ensure(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllTextUnflushed(path, json + "\n");
        lock (_unflushed)
        {
            _unflushed.Add(path);
        }
    }

    /// <summary>Makes every checkpoint written since the last flush durable.</summary>
    public void Flush()
    {
        List<string> written;
        lock (_unflushed)
        {
            written = [.. _unflushed];
            _unflushed.Clear();
        }

        FileSystemSync.Flush(written);
    }
}
