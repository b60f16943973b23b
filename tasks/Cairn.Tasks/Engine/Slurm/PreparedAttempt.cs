namespace Cairn.Engine.Slurm;

/// <summary>
/// One attempt of a cell made ready to run anywhere: its label, the task's inputs, its staged outputs and its
/// parameters (varied by the retry policy), and the staging file stem its worker files are named by.
/// </summary>
internal sealed record PreparedAttempt(
    string Label,
    string Stem,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Inputs,
    IReadOnlyDictionary<string, string> StagedOutputs,
    IReadOnlyDictionary<string, object> Parameters,
    string? NextVariation);
