using Cairn.Engine.Workspace;

namespace Cairn.Engine.Checkpoints;

/// <summary>What reading a cell's <c>.ok</c> found: nothing, a checkpoint, or a file that could not be used (and why).</summary>
internal sealed record CheckpointReadResult(Checkpoint? Checkpoint, string? Problem)
{
    public static readonly CheckpointReadResult Missing = new(null, null);

    public bool Exists => Checkpoint is not null || Problem is not null;

    /// <summary>
    /// Each recorded output's stat as the check that it lies in the workspace took it, in the order of
    /// <see cref="Checkpoints.Checkpoint.Outputs"/> (null for one that is not a regular file): the stat the decision
    /// compares with the stat cache, so that an output is not stat'ed twice a moment apart. Null without a checkpoint.
    /// </summary>
    public IReadOnlyList<PathStat?>? OutputStats { get; init; }
}
