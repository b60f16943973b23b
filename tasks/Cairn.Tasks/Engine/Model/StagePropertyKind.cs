namespace Cairn.Engine.Model;

/// <summary>What a stage task's property declares itself to be.</summary>
internal enum StagePropertyKind
{
    Input,
    InputList,
    Output,
    OutputDirectory,
    Parameter,
    Metric,
}
