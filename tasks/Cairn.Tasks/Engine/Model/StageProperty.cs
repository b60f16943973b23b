using System.Reflection;

namespace Cairn.Engine.Model;

/// <summary>One declared property of a stage task.</summary>
internal sealed record StageProperty(string Name, StagePropertyKind Kind, PropertyInfo Info, bool Required);
