namespace Cairn.Engine.Observing;

/// <summary>
/// How one stage fared over the last runs that decided it: in how many it ran cells and in how many of those every
/// cell succeeded, the duration of its cells that ran, attempts past the first, and the rows its cells read.
/// </summary>
internal sealed record StageHealth(
    string Stage,
    int Runs,
    int RunsThatRan,
    int RunsSucceeded,
    int CellsRan,
    double? AverageMs,
    double? P95Ms,
    int Retries,
    long RowsIn)
{
    /// <summary>Successful runs of those that ran a cell; null when none ran one.</summary>
    /// <summary>Cells restored from the shared cache instead of running (not counted in <see cref="CellsRan"/> nor in the durations).</summary>
    public int CellsRestored { get; init; }

    public double? SuccessRate => RunsThatRan == 0 ? null : (double)RunsSucceeded / RunsThatRan;
}
