namespace Cairn.Engine.Slurm;

/// <summary>
/// What one Slurm job array runs: one stage's task type (and the assembly holding it), its timeout, and the cells of
/// each array task, by task index.
/// </summary>
internal sealed record WorkerManifest(
    string Stage,
    string AssemblyPath,
    string TaskType,
    double? TimeoutSeconds,
    IReadOnlyList<IReadOnlyList<WorkerCell>> Tasks);
