namespace Cairn;

/// <summary>A stage of a <see cref="CairnPipeline"/>, as a host makes a target of it.</summary>
public sealed class CairnStage
{
    internal CairnStage(string name, string description, IReadOnlyList<string> dependsOn)
    {
        Name = name;
        Description = description;
        DependsOn = dependsOn;
    }

    /// <summary>The stage's name, which is its target's name.</summary>
    public string Name { get; }

    /// <summary>What the stage does, from the pipeline file's <c>description:</c>; empty when it has none.</summary>
    public string Description { get; }

    /// <summary>The stages whose outputs this one reads: its target depends on theirs.</summary>
    public IReadOnlyList<string> DependsOn { get; }
}
