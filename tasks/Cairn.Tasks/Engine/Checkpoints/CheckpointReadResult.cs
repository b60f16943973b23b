namespace Cairn.Engine.Checkpoints;

/// <summary>What reading a cell's <c>.ok</c> found: nothing, a checkpoint, or a file that could not be used (and why).</summary>
internal sealed record CheckpointReadResult(Checkpoint? Checkpoint, string? Problem)
{
    public static readonly CheckpointReadResult Missing = new(null, null);

    public bool Exists => Checkpoint is not null || Problem is not null;
}
