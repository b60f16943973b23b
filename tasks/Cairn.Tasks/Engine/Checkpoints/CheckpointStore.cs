using System.Buffers;
using System.Text.Json;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Checkpoints;

/// <summary>
/// Reads and writes <c>checkpoints/[KEY=value/]&lt;Stage&gt;.ok</c> under a workspace, KEY the pipeline's partition key
/// (<c>date</c> unless <c>partitions: key:</c> says otherwise). A checkpoint is written whole (temp file, rename) and
/// made durable with the others of its stage by <see cref="Flush"/> (in the background, while the next stage runs),
/// not one by one.
/// A checkpoint is used only when it is whole and names nothing outside the workspace (<see cref="CheckpointCheck"/>);
/// any other is unreadable, with the reason, and its cell is stale.
/// </summary>
internal sealed class CheckpointStore
{
    // Before checkpoint folders were named by the declared key, every one was date=…: still read, so a workspace of
    // hour or month partitions built then is not rebuilt; a cell's next checkpoint goes to its KEY=value folder.
    private const string EarlierPrefix = "date=";

    // A cell's checkpoint is a kilobyte or two; one that lists more files than fit here is read the ordinary way.
    private const int SmallCheckpointLength = 16 * 1024;

    // A partition's cell's checkpoint is 1-2 KB.
    private const int InitialBuffer = 4096;

    private readonly string _root;
    private readonly string _prefix;
    private readonly WorkspacePaths _paths;
    private readonly List<string> _unflushed = [];
    private readonly RecentStrings _recent = new();
    private Task _flushing = Task.CompletedTask;

    /// <param name="checkpointsDirectory">The workspace's <c>checkpoints/</c> folder.</param>
    /// <param name="paths">The workspace's paths; those of the folder above <paramref name="checkpointsDirectory"/> when null.</param>
    /// <param name="partitionKey">The pipeline's partition key, which names a partition's folder.</param>
    public CheckpointStore(string checkpointsDirectory, WorkspacePaths? paths = null, string partitionKey = "date")
    {
        _root = checkpointsDirectory;
        _prefix = partitionKey + "=";
        _paths = paths ?? new WorkspacePaths(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(checkpointsDirectory)))!);
    }

    public string PathOf(string stage, string? partition) =>
        partition is null
            ? Path.Combine(_root, stage + ".ok")
            : Path.Combine(_root, _prefix + partition, stage + ".ok");

    public CheckpointReadResult Read(string stage, string? partition)
    {
        var read = ReadAt(PathOf(stage, partition), stage, partition);
        return read == CheckpointReadResult.Missing && partition is not null && _prefix != EarlierPrefix
            ? ReadAt(Path.Combine(_root, EarlierPrefix + partition, stage + ".ok"), stage, partition)
            : read;
    }

    private CheckpointReadResult ReadAt(string path, string stage, string? partition)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(SmallCheckpointLength);
        try
        {
            var length = SmallFiles.TryRead(path, buffer);
            return length switch
            {
                SmallFiles.Missing => CheckpointReadResult.Missing,
                SmallFiles.Unknown => ReadWhole(path, stage, partition),
                _ => Parse(buffer.AsSpan(0, length), null, path, stage, partition),
            };
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A checkpoint too large for the buffer (a whole-dataset stage's lists every input), or one the quick read could not open: read as .NET reads a file, which says why it could not.</summary>
    private CheckpointReadResult ReadWhole(string path, string stage, string? partition)
    {
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

        return Parse(bytes, bytes, path, stage, partition);
    }

    // owner: the array that is bytes, read for this call alone (the checkpoint may keep a slice of it); null for a pooled buffer.
    private CheckpointReadResult Parse(ReadOnlySpan<byte> bytes, byte[]? owner, string path, string stage, string? partition)
    {
        try
        {
            var checkpoint = CheckpointReader.TryRead(bytes, stage, partition, _recent, owner) ?? JsonSerializer.Deserialize(bytes, CheckpointJsonContext.Default.Checkpoint);
            if (checkpoint is null || checkpoint.Format != Checkpoint.CurrentFormat)
            {
                return new CheckpointReadResult(null, $"{path} has an unknown format");
            }

            if (CheckpointCheck.Problem(checkpoint, _paths, out var outputStats) is { } problem)
            {
                return new CheckpointReadResult(null, $"{path} is not a checkpoint Cairn can use: {problem}");
            }

            if (!string.Equals(checkpoint.Stage, stage, StringComparison.Ordinal) || !string.Equals(checkpoint.Partition, partition, StringComparison.Ordinal))
            {
                return new CheckpointReadResult(null, $"{path} belongs to another cell ({checkpoint.Stage} {checkpoint.Partition})");
            }

            return new CheckpointReadResult(checkpoint, null) { OutputStats = outputStats };
        }
        catch (JsonException e)
        {
            return new CheckpointReadResult(null, $"{path} is not a readable checkpoint ({e.Message})");
        }
    }

    public void Write(Checkpoint checkpoint)
    {
        // Serialized as UTF-8 straight into one buffer with its newline: a whole-dataset cell's checkpoint (6-12 MB at
        // 40,000 partitions) was a string, then a copy with "\n", then its bytes. A partition's cell's fits the first 4 KB.
        using var json = new MemoryStream(InitialBuffer);
        JsonSerializer.Serialize(json, checkpoint, CheckpointJsonContext.Default.Checkpoint);
        json.WriteByte((byte)'\n');
        var path = PathOf(checkpoint.Stage, checkpoint.Partition);
        // A partition's folder is made by its first stage's checkpoint; the stages after it find it there, without a
        // mkdir (and the stat .NET adds when it exists) per checkpoint.
        AtomicFile.WriteAllBytesUnflushed(path, json.GetBuffer().AsSpan(0, (int)json.Length), makeFolder: true);
        lock (_unflushed)
        {
            _unflushed.Add(path);
        }
    }

    /// <summary>
    /// Starts making every checkpoint written since the last flush durable, on a thread of its own: the flush of a
    /// stage's thousands of checkpoints (a <c>syncfs</c> that waits for the disk) goes on while the next stage runs,
    /// instead of holding the run up between stages. Flushes run one after the other, in the order started.
    /// <see cref="WaitForFlushes"/> waits for them all.
    /// </summary>
    public void Flush()
    {
        List<string> written;
        lock (_unflushed)
        {
            if (_unflushed.Count == 0)
            {
                return;
            }

            written = [.. _unflushed];
            _unflushed.Clear();
        }

        lock (_unflushed)
        {
            var before = _flushing;
            _flushing = Task.Factory.StartNew(
                () =>
                {
                    // The earlier flush's failure is kept and passed on after this one's files were flushed too.
                    FileSystemSync.Flush(written);
                    before.GetAwaiter().GetResult();
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Waits until every checkpoint flushed so far (<see cref="Flush"/>) is durable. A run waits for this before it
    /// publishes anything and before it ends.
    /// </summary>
    /// <exception cref="IOException">A flush failed.</exception>
    public void WaitForFlushes()
    {
        Task flushing;
        lock (_unflushed)
        {
            flushing = _flushing;
        }

        flushing.GetAwaiter().GetResult();
    }
}
