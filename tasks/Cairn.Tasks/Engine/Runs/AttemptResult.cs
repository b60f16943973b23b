using Cairn.Engine.Hosting;
using Cairn.Engine.Scan;

namespace Cairn.Engine.Runs;

/// <summary>
/// One attempt of one cell: the decision it ran with (a retry after an input moved scans the cell afresh), the task's
/// outcome, where it staged its outputs, whether a retry may help, and the inputs that moved while it ran.
/// </summary>
internal sealed record AttemptResult(
    CellDecision Decision,
    StageOutcome Outcome,
    IReadOnlyDictionary<string, string> StagedOutputs,
    bool Transient,
    int Attempt,
    string Label,
    string LogPath,
    string? NextVariation)
{
    /// <summary>The inputs (full paths) whose stat moved while the task ran, or that a re-bound glob added or removed.</summary>
    public IReadOnlyList<string> Moved { get; init; } = [];

    /// <summary>The attempt's log: its own file, or lines held for the stage's log until the cell is recorded.</summary>
    public CellLog? Log { get; init; }

    /// <summary>How long the stage's task ran in this attempt (on Slurm: until the job's result came back).</summary>
    public TimeSpan TaskTime { get; init; }

    /// <summary>The same inputs by their logical paths, for messages.</summary>
    public IReadOnlyList<string> MovedLogical { get; init; } = [];
}
