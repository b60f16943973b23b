namespace Cairn.Engine.Slurm;

/// <summary>
/// One cell as a Slurm array task runs it: the task's inputs, where it writes its outputs (the coordinator's staging,
/// on storage every node sees), its parameters as text, and where the worker leaves its log and result.
/// </summary>
internal sealed record WorkerCell(
    string Label,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Inputs,
    IReadOnlyDictionary<string, string> Outputs,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters,
    string LogPath,
    string ResultPath);
