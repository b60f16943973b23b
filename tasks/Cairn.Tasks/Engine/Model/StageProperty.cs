using System.Reflection;

namespace Cairn.Engine.Model;

/// <summary>One declared property of a stage task.</summary>
internal sealed record StageProperty(string Name, StagePropertyKind Kind, PropertyInfo Info, bool Required)
{
    /// <summary>An input that is a data contract (<c>[StageInput(Contract = true)]</c>): its hash is the contract version.</summary>
    public bool Contract { get; init; }
}
