namespace Cairn.Engine.Configuration;

/// <summary>One stage of a pipeline file: which task runs it and how its properties are bound.</summary>
internal sealed record StageDefinition(
    string Name,
    string TaskTypeName,
    bool Partitioned,
    IReadOnlyDictionary<string, IReadOnlyList<PathTemplate>> Inputs,
    IReadOnlyDictionary<string, PathTemplate> Outputs,
    IReadOnlyDictionary<string, ParameterValue> Parameters);
