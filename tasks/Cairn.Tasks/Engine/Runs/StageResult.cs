namespace Cairn.Engine.Runs;

/// <summary>What one stage did in a run, for the summary table.</summary>
internal sealed record StageResult(
    string Stage,
    int Cells,
    int Ran,
    int Skipped,
    int Failed,
    TimeSpan Duration,
    IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>Cells that did not run because an upstream cell failed, or because the stage stopped at a failure.</summary>
    public int NotRun { get; init; }
}
