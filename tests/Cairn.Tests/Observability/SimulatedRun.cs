using Cairn.Engine.Observing;
using Cairn.Engine.Plan;
using Cairn.Engine.Runs;
using Cairn.Engine.Scan;

namespace Cairn.Tests.Observability;

/// <summary>
/// Drives a <see cref="RunLogObserver"/> through a run's lifecycle without stages: three partitioned stages of
/// <c>cells</c> cells each, decided, run and finished, as fast as the observer can take them.
/// </summary>
internal static class SimulatedRun
{
    public static void Write(string database, string runId, int cells, string repository)
    {
        using var observer = new RunLogObserver(database, repository, _ => null);
        var started = DateTimeOffset.UtcNow;
        var partitions = Enumerable.Range(0, cells).Select(i => DateOnly.FromDayNumber(730_000 + i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        observer.OnRunStarted(new RunStarted(runId, "simulated", "local", "All", new Dictionary<string, string>(), partitions, repository, "0.0.0", started));
        var results = new List<StageResult>();
        foreach (var stage in new[] { "One", "Two", "Three" })
        {
            var decisions = partitions
                .Select(p => new CellDecision(new CellBinding(stage, p, [], [], new Dictionary<string, object>(), new Dictionary<string, string>()), "fingerprint", [], null, Decision.Of([Cause.FirstRun])))
                .ToList();
            observer.OnStageDecided(runId, stage, decisions);
            foreach (var partition in partitions)
            {
                observer.OnCellFinished(new CellFinished(runId, stage, partition, 1, true, null, "first run", "fingerprint", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, new Dictionary<string, double> { ["RowsIn"] = 1 }));
            }

            var result = new StageResult(stage, cells, cells, 0, 0, TimeSpan.Zero, new Dictionary<string, double>());
            observer.OnStageFinished(runId, result);
            results.Add(result);
        }

        observer.OnRunFinished(new RunFinished(runId, "succeeded", null, started, DateTimeOffset.UtcNow, results));
    }
}
