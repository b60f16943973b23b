namespace Cairn.Engine.Slurm;

/// <summary>How one cell ended on its node, as the worker writes it for the coordinator.</summary>
internal sealed record WorkerResult(
    bool Succeeded,
    string? Failure,
    bool TimedOut,
    bool Cancelled,
    IReadOnlyList<string> ErrorCodes,
    IReadOnlyList<string> Errors,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<string> ConsoleLines,
    string Node);
