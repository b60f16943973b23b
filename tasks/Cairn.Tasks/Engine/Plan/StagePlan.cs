using System.Reflection;
using Cairn.Engine.Configuration;
using Cairn.Engine.Model;
using Cairn.Stages;

namespace Cairn.Engine.Plan;

/// <summary>A stage as the engine runs it: its definition, its task's declaration, and the stages whose outputs it reads.</summary>
internal sealed record StagePlan(StageDefinition Definition, StageDescriptor Descriptor, IReadOnlyList<string> Producers)
{
    public string Name => Definition.Name;

    /// <summary>Directory outputs, and the output a stage that fans out writes its partitions into: each is recorded file by file and replaced whole.</summary>
    public IReadOnlySet<string> DirectoryOutputs { get; } =
        Descriptor.Outputs.Where(o => o.Kind == StagePropertyKind.OutputDirectory || o.Name == Definition.FanOut?.Property).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>File outputs the task adds to (<c>[StageOutput(Accumulates = true)]</c>): staged with their current content.</summary>
    public IReadOnlySet<string> AccumulatingOutputs { get; } =
        Descriptor.Outputs.Where(o => o.Info.GetCustomAttribute<StageOutputAttribute>()?.Accumulates == true).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Whether an input path is a glob: only then does binding a cell look at the disk (which files match now), so only
    /// then can binding it again after it ran give other inputs than before. Every other path is the template expanded.
    /// </summary>
    public bool InputsMatchFiles { get; } = Definition.Inputs.Values.Any(templates => templates.Any(t => t.IsGlob));
}
