namespace Cairn.Engine.Workspace;

/// <summary>Where things live in a workspace: data and artifacts by their pipeline paths, plus the engine's own folders.</summary>
internal sealed record WorkspaceLayout(string Root)
{
    public string Checkpoints => Path.Combine(Root, "checkpoints");

    public string Logs => Path.Combine(Root, "logs");

    public string RunLogs => Path.Combine(Logs, "runs");

    public string State => Path.Combine(Root, ".cairn");

    public string Staging => Path.Combine(State, "staging");

    /// <summary>The pipeline's partition key (<c>partitions: key:</c>), which names a partition's folder of logs: <c>logs/KEY=value/</c>.</summary>
    public string PartitionKey { get; init; } = Partitions.PartitionScheme.Default.Key;

    public string CellLog(string stage, string? partition) =>
        partition is null
            ? Path.Combine(Logs, stage + ".log")
            : Path.Combine(Logs, PartitionKey + "=" + partition, stage + ".log");

    public string Relative(string fullPath) => Path.GetRelativePath(Root, fullPath).Replace('\\', '/');

    /// <summary>Where a workspace-relative logical path (a checkpoint's, <c>dir/</c> for a directory) is on disk.</summary>
    public string FullPathOf(string logical) => Path.Combine(Root, logical.TrimEnd('/'));
}
