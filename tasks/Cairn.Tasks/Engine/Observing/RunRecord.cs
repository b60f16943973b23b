namespace Cairn.Engine.Observing;

/// <summary>
/// One run as the run log holds it, with its cells counted. Status is running, succeeded, failed or cancelled as
/// written, or crashed (a 'running' row whose process on this machine is gone) or incomplete (a 'running' row
/// from before the log recorded the process) as read.
/// </summary>
internal sealed record RunRecord(
    string RunId,
    string Pipeline,
    string Environment,
    string Target,
    string Arguments,
    string TriggeredBy,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    double? DurationMs,
    string ToolVersion,
    string? GitCommit,
    string? Failure,
    int Cells,
    int Ran,
    int Skipped,
    int Failed)
{
    /// <summary>The stage parameters set on the command line, <c>Stage.Parameter</c> → value; empty for a run without any, or recorded before Cairn logged them.</summary>
    public IReadOnlyDictionary<string, string> ParameterOverrides { get; init; } = new Dictionary<string, string>();

    /// <summary>Cells decided to run that were restored from the shared cache instead (not counted in <see cref="Ran"/>).</summary>
    public int Restored { get; init; }
}
