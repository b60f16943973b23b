using System.Text.Json;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Checkpoints;

/// <summary>Reads and writes <c>checkpoints/[date=YYYY-MM-DD/]&lt;Stage&gt;.ok</c> under a workspace.</summary>
internal sealed class CheckpointStore
{
    private readonly string _root;

    public CheckpointStore(string checkpointsDirectory) => _root = checkpointsDirectory;

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

        try
        {
            var checkpoint = JsonSerializer.Deserialize(bytes, CheckpointJsonContext.Default.Checkpoint);
            if (checkpoint is null || checkpoint.Format != Checkpoint.CurrentFormat)
            {
                return new CheckpointReadResult(null, $"{path} has an unknown format");
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
        AtomicFile.WriteAllText(PathOf(checkpoint.Stage, checkpoint.Partition), json + "\n");
    }
}
