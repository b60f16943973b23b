namespace Cairn.Stages;

/// <summary>
/// Marks a stage task property (<see cref="string"/>) as an output path that the stage writes.
/// The engine binds it to a staging location, promotes it after the stage succeeds and records
/// its content hash in the checkpoint. The staging folder is shared by the stage's cells (the path's file name is
/// unique to the cell and attempt and keeps the output's extension): write only there, and name any scratch file
/// after the output, never with a fixed name beside it.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class StageOutputAttribute : Attribute
{
    /// <summary>True when the output is a directory the stage owns entirely (every file in it is recorded).</summary>
    public bool IsDirectory { get; init; }

    /// <summary>
    /// True when the stage adds to this file (a history) rather than writing it from scratch: before the task runs,
    /// the engine copies the file's current content to the path the task is given. That content is not part of the
    /// cell's fingerprint, so the file changes only when the cell re-runs for its inputs, code or parameters; an
    /// edited or deleted file still makes the cell re-run, as for any output. A file output only.
    /// </summary>
    public bool Accumulates { get; init; }
}
