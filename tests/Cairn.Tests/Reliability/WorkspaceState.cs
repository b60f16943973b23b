using System.Text.Json;
using Cairn.Hashing;

namespace Cairn.Tests.Reliability;

/// <summary>
/// What a workspace holds at one moment: its checkpoints as they read, every stage output by content, and what a run
/// may have left behind (temp files, staging, landing-zone build folders).
/// </summary>
internal sealed class WorkspaceState
{
    /// <summary>The folders stages write their outputs to.</summary>
    public static readonly string[] OutputFolders = ["data", "artifacts", "reports"];

    private const string DirectoryMarker = "directory";

    private WorkspaceState(string root) => Root = root;

    public string Root { get; }

    /// <summary>Readable checkpoints by cell.</summary>
    public SortedDictionary<string, CellCheckpoint> Checkpoints { get; } = new(StringComparer.Ordinal);

    /// <summary>Checkpoint files that do not read as one (<c>path: why</c>).</summary>
    public List<string> UnreadableCheckpoints { get; } = [];

    /// <summary>
    /// Every file under <see cref="OutputFolders"/>, workspace-relative with '/', and its content hash; of
    /// <c>artifacts/</c>, only <c>LATEST</c> and the version it names: earlier versions are kept by design, so a run
    /// interrupted on the way may leave more of them than an uninterrupted one.
    /// </summary>
    public SortedDictionary<string, string> Outputs { get; } = new(StringComparer.Ordinal);

    /// <summary><c>*.tmp</c> files anywhere in the workspace.</summary>
    public List<string> TempFiles { get; } = [];

    /// <summary>Files under <c>.cairn/staging/</c>.</summary>
    public List<string> StagingFiles { get; } = [];

    /// <summary>The run folders directly under <c>.cairn/staging/</c> (named by run id).</summary>
    public List<string> StagingRuns { get; } = [];

    /// <summary>Folders named <c>*.building</c> (a landing zone being made) in the workspace.</summary>
    public List<string> BuildingFolders { get; } = [];

    /// <summary>
    /// Checkpoints that claim an output which is missing or holds other bytes. A kill between promoting outputs and
    /// writing the <c>.ok</c> leaves these by design; the next run must see them and re-run the cell.
    /// </summary>
    public IEnumerable<string> StaleCheckpoints =>
        Checkpoints.Values
            .SelectMany(c => c.Outputs.Split('\n').Select(o => (c.Cell, Output: o.Split(' '))))
            .Where(o => o.Output[1] == DirectoryMarker
                ? !Directory.Exists(Path.Combine(Root, o.Output[0]))
                : Outputs.GetValueOrDefault(o.Output[0]) != o.Output[1])
            .Select(o => $"{o.Cell} -> {o.Output[0]}")
            .Distinct();

    /// <summary>
    /// What a run that completed must not leave: temp files, staged files, landing-zone build folders, and staging
    /// folders of other runs (<paramref name="runId"/>'s own, emptied, may stay).
    /// </summary>
    public IEnumerable<string> Leftovers(string? runId) =>
        TempFiles.Select(f => $"temp file {f}")
            .Concat(StagingFiles.Select(f => $"staging file {f}"))
            .Concat(StagingRuns.Where(r => r != runId).Select(r => $"staging folder .cairn/staging/{r}"))
            .Concat(BuildingFolders.Select(f => $"landing-zone build folder {f}"));

    public static WorkspaceState Capture(string workspace)
    {
        var state = new WorkspaceState(workspace);
        if (!Directory.Exists(workspace))
        {
            return state;
        }

        var latestFile = Path.Combine(workspace, "artifacts", "LATEST");
        var latest = File.Exists(latestFile) ? "artifacts/" + File.ReadAllText(latestFile).Trim() + "/" : null;
        foreach (var file in Directory.EnumerateFiles(workspace, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(workspace, file).Replace('\\', '/');
            if (relative.EndsWith(".tmp", StringComparison.Ordinal))
            {
                state.TempFiles.Add(relative);
            }

            if (relative.StartsWith(".cairn/staging/", StringComparison.Ordinal))
            {
                state.StagingFiles.Add(relative);
            }
            else if (relative.StartsWith("checkpoints/", StringComparison.Ordinal) && relative.EndsWith(".ok", StringComparison.Ordinal))
            {
                state.ReadCheckpoint(file, relative);
            }
            else if (OutputFolders.Any(f => relative.StartsWith(f + "/", StringComparison.Ordinal))
                && (!relative.StartsWith("artifacts/", StringComparison.Ordinal) || relative == "artifacts/LATEST" || (latest is not null && relative.StartsWith(latest, StringComparison.Ordinal))))
            {
                state.Outputs[relative] = ContentHasher.HashFile(file).ToString();
            }
        }

        var staging = Path.Combine(workspace, ".cairn", "staging");
        if (Directory.Exists(staging))
        {
            state.StagingRuns.AddRange(Directory.EnumerateDirectories(staging).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal));
        }

        state.BuildingFolders.AddRange(
            Directory.EnumerateDirectories(workspace, "*.building", SearchOption.AllDirectories).Select(d => Path.GetRelativePath(workspace, d)));
        return state;
    }

    private void ReadCheckpoint(string file, string relative)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(file));
            var root = json.RootElement;
            var partition = root.GetProperty("partition").GetString();
            var cell = partition is null ? root.GetProperty("stage").GetString()! : $"{root.GetProperty("stage").GetString()} date={partition}";
            var outputs = string.Join('\n', root.GetProperty("outputs").EnumerateArray().Select(o => $"{o.GetProperty("path").GetString()} {o.GetProperty("hash").GetString()}"));
            Checkpoints[cell] = new CellCheckpoint(cell, root.GetProperty("fingerprint").GetString()!, outputs, root.GetProperty("runId").GetString()!);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            UnreadableCheckpoints.Add($"{relative}: {e.Message}");
        }
    }
}
