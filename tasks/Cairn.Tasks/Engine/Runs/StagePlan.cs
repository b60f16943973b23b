using Cairn.Engine.Configuration;
using Cairn.Engine.Model;

namespace Cairn.Engine.Runs;

/// <summary>A stage as the engine runs it: its definition, its task's declaration, and the stages whose outputs it reads.</summary>
internal sealed record StagePlan(StageDefinition Definition, StageDescriptor Descriptor, IReadOnlyList<string> Producers)
{
    public string Name => Definition.Name;

    public IReadOnlySet<string> DirectoryOutputs { get; } =
        Descriptor.Outputs.Where(o => o.Kind == StagePropertyKind.OutputDirectory).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
}
