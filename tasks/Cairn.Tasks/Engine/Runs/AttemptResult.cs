using Cairn.Engine.Hosting;

namespace Cairn.Engine.Runs;

/// <summary>One attempt of one cell: the task's outcome, where it staged its outputs, and whether a retry may help.</summary>
internal sealed record AttemptResult(
    StageOutcome Outcome,
    IReadOnlyDictionary<string, string> StagedOutputs,
    bool Transient,
    int Attempt,
    string Label,
    string LogPath,
    string? NextVariation);
