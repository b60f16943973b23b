namespace Cairn.Stages;

/// <summary>
/// Marks a stage task property as an input file (<see cref="string"/>) or a list of input files
/// (<c>ITaskItem[]</c>). The engine hashes every input file's content into the cell's fingerprint.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class StageInputAttribute : Attribute
{
}
