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

    /// <summary>Of <see cref="Ran"/>, the cells whose outputs were restored from the shared cache instead of run here.</summary>
    public int Restored { get; init; }

    /// <summary>The cells that really ran here: <see cref="Ran"/> less those restored from the shared cache.</summary>
    public int RanHere => Ran - Restored;
}
