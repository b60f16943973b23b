namespace Cairn.Stages;

/// <summary>
/// Marks a stage task property (<see cref="string"/>) as an output path that the stage writes.
/// The engine binds it to a staging location, promotes it after the stage succeeds and records
/// its content hash in the checkpoint.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class StageOutputAttribute : Attribute
{
    /// <summary>True when the output is a directory the stage owns entirely (every file in it is recorded).</summary>
    public bool IsDirectory { get; init; }
}
