using System.Text;
using Cairn.Engine.Checkpoints;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Runs;

/// <summary>
/// A run's logs of its partitioned stages, <c>logs/runs/RUN/Stage.log</c>: the lines of each cell that logged only
/// what every cell logs (<see cref="Hosting.CellLog"/>), appended whole once its outputs are promoted, just before its
/// checkpoint is written, every line led by
/// the cell's partition (<c>date=2013-05-02 </c>), so <c>grep '^date=2013-05-02 '</c> gives one cell's lines. One
/// file per stage and run rather than a file and a folder per cell: at 40,000 partitions those were 120,000 files and
/// 40,000 folders made by a first run, most of its kernel time with the checkpoints.
/// </summary>
internal sealed class StageLogs : IDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    // The partition folders of logs/ remembered at most; past this each cell looks for its own log, as it did before.
    private const int MaxFoldersRemembered = 4096;

    private readonly string _folder;
    private readonly string _key;
    private readonly WorkspaceLayout _layout;
    private readonly KnownDirectories _directories;
    private readonly Dictionary<string, FileStream> _open = new(StringComparer.Ordinal);
    private readonly Lazy<HashSet<string>?> _partitionFolders;

    /// <param name="layout">The workspace.</param>
    /// <param name="runId">The run whose stages these are.</param>
    /// <param name="directories">The folders the run made so far.</param>
    public StageLogs(WorkspaceLayout layout, string runId, KnownDirectories directories)
    {
        _folder = FolderOf(layout, runId);
        _key = layout.PartitionKey;
        _layout = layout;
        _directories = directories;
        _partitionFolders = new(() => PartitionFolders(layout.Logs), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The folder of a run's stage logs.</summary>
    public static string FolderOf(WorkspaceLayout layout, string runId) => Path.Combine(layout.RunLogs, runId);

    /// <summary>A run's log of a stage.</summary>
    public static string PathOf(WorkspaceLayout layout, string runId, string stage) => Path.Combine(FolderOf(layout, runId), stage + ".log");

    /// <summary>Appends a cell's lines to its stage's log, in one write, each line led by the cell's partition.</summary>
    public void Append(string stage, string partition, string lines)
    {
        var lead = Lead(_key, partition);
        var text = new StringBuilder(lines.Length + (lead.Length * 8));
        foreach (var line in lines.AsSpan().TrimEnd(Environment.NewLine).EnumerateLines())
        {
            text.Append(lead).Append(line).Append(Environment.NewLine);
        }

        var bytes = Utf8NoBom.GetBytes(text.ToString());
        lock (_open)
        {
            if (!_open.TryGetValue(stage, out var stream))
            {
                _directories.Ensure(_folder);
                // Unbuffered: each cell is one write, so a killed run loses no line of a cell it recorded.
                stream = new FileStream(Path.Combine(_folder, stage + ".log"), FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0);
                _open[stage] = stream;
            }

            stream.Write(bytes);
        }
    }

    /// <summary>
    /// Removes the cell's own log file (<c>logs/KEY=value/Stage.log</c>) left by an earlier run, before its lines go to
    /// the stage's log: it would be taken for this run's (<see cref="ReadCell"/>). Whether to look is learnt from one
    /// listing of <c>logs/</c>, the first time a cell asks, once the run holds its cells: a partition without a folder
    /// there then has no such file (every partition in a first run), and a folder made since is this run's own (its
    /// failed attempts') or another run's, which holds other cells.
    /// </summary>
    public void RemoveEarlierOwnLog(string stage, string partition)
    {
        if (_partitionFolders.Value is { } folders && !folders.Contains(_key + "=" + partition))
        {
            return;
        }

        var own = _layout.CellLog(stage, partition);
        if (File.Exists(own))
        {
            File.Delete(own);
        }
    }

    /// <summary>Closes the stage's log once its cells are done.</summary>
    public void Close(string stage)
    {
        lock (_open)
        {
            if (_open.Remove(stage, out var stream))
            {
                stream.Dispose();
            }
        }
    }

    public void Dispose()
    {
        lock (_open)
        {
            foreach (var stream in _open.Values)
            {
                stream.Dispose();
            }

            _open.Clear();
        }
    }

    /// <summary>
    /// The last log of a cell: its own file when it has one (a failure, a retry, a warning, a whole-dataset cell; a cell
    /// whose lines go to its stage's log has its own file removed first), else its lines in the stage's log of the run
    /// its checkpoint names, without their lead. Null when the cell has no log (it never ran, or the run
    /// was killed before its lines were written).
    /// </summary>
    public static string? ReadCell(WorkspaceLayout layout, CheckpointStore checkpoints, string stage, string? partition)
    {
        var own = layout.CellLog(stage, partition);
        if (File.Exists(own))
        {
            return ReadShared(own);
        }

        if (partition is null || checkpoints.Read(stage, partition).Checkpoint is not { } checkpoint || !RunIdIsAName(checkpoint.RunId))
        {
            return null;
        }

        var stageLog = PathOf(layout, checkpoint.RunId, stage);
        if (!File.Exists(stageLog))
        {
            return null;
        }

        var lead = Lead(layout.PartitionKey, partition);
        var lines = new StringBuilder();
        using (var reader = new StreamReader(new FileStream(stageLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete), Utf8NoBom))
        {
            while (reader.ReadLine() is { } line)
            {
                if (line.StartsWith(lead, StringComparison.Ordinal))
                {
                    lines.Append(line, lead.Length, line.Length - lead.Length).Append(Environment.NewLine);
                }
            }
        }

        return lines.Length == 0 ? null : lines.ToString();
    }

    private static string Lead(string key, string partition) => key + "=" + partition + " ";

    /// <summary>The names of the folders in <c>logs/</c> (none when it is missing); null when there are too many to keep.</summary>
    private static HashSet<string>? PartitionFolders(string logs)
    {
        var folders = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var folder in Directory.EnumerateDirectories(logs))
            {
                if (folders.Count == MaxFoldersRemembered)
                {
                    return null;
                }

                folders.Add(Path.GetFileName(folder));
            }
        }
        catch (DirectoryNotFoundException)
        {
            // No logs at all yet: no cell has a log of its own.
        }

        return folders;
    }

    /// <summary>A checkpoint is a file anyone can edit: its run id names a log only when it cannot lead outside the logs.</summary>
    private static bool RunIdIsAName(string runId) =>
        runId.Length > 0 && !runId.StartsWith('.') && runId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static string ReadShared(string path)
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete), Utf8NoBom);
        return reader.ReadToEnd();
    }
}
