namespace Cairn.Stages;

/// <summary>
/// Marks a stage task property as a parameter. Its value (culture-invariant) is part of the
/// cell's fingerprint, so changing it re-runs the stage.
/// Supported types: string, bool, int, long, double, and string[].
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class StageParameterAttribute : Attribute
{
}
