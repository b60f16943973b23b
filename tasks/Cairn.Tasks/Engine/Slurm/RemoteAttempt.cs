using Cairn.Engine.Hosting;

namespace Cairn.Engine.Slurm;

/// <summary>
/// How one cell's attempt ended on Slurm: the outcome as a local attempt's, the worker's log of it (null when the
/// task never ran it), the lines it would have put on the console, and where it ran (<c>12_0 on node1</c>).
/// </summary>
internal sealed record RemoteAttempt(StageOutcome Outcome, string? WorkerLog, IReadOnlyList<string> ConsoleLines, string Where);
