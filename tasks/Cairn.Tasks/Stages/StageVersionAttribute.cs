namespace Cairn.Stages;

/// <summary>
/// An explicit code version for a stage. The engine already derives a code version from the
/// stage's compiled IL; bump this to force a re-run when behaviour changes in code the IL hash
/// cannot see (a shared helper in another type, a data file embedded as a resource).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class StageVersionAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="version">Any string; a change re-runs every cell of the stage.</param>
    public StageVersionAttribute(string version) => Version = version;

    /// <summary>The declared version.</summary>
    public string Version { get; }
}
