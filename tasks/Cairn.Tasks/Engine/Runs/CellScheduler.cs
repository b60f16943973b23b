using Cairn.Engine.Plan;
using Cairn.Engine.Scan;

namespace Cairn.Engine.Runs;

/// <summary>
/// Which cells of a stage may run and in what way: a cell is blocked when a cell it reads from failed or was not run
/// in this run; the cells decided to run go up to the run's parallelism at once (a whole-dataset stage's one cell
/// alone). Fail-fast by default: the first failure stops new cells from starting (running ones finish and are
/// recorded). With keep-going, every cell that does not depend on a failed one still runs. Knows nothing of how a
/// cell runs (<see cref="CellExecutor"/>) or what is printed (<see cref="RunOutput"/>).
/// </summary>
internal sealed class CellScheduler
{
    private readonly PipelinePlan _plan;
    private readonly bool _keepGoing;
    private readonly int _parallelism;
    private readonly HashSet<(string Stage, string? Partition)> _notDone = [];
    private readonly List<CellFailure> _failures = [];
    private readonly List<CellFailure> _held = [];
    private readonly HashSet<string> _heldLabels = new(StringComparer.Ordinal);

    public CellScheduler(PipelinePlan plan, bool keepGoing, int parallelism)
    {
        _plan = plan;
        _keepGoing = keepGoing;
        _parallelism = parallelism;
    }

    /// <summary>The cells that failed so far, in stage order and, within a stage, in partition order.</summary>
    public IReadOnlyList<CellFailure> Failures => _failures;

    /// <summary>The cells held for a person's review of schema drift: not failed, not run; the run ends awaiting approval.</summary>
    public IReadOnlyList<CellFailure> Held => _held;

    /// <summary>Cells that did not run because of a failure or a hold (blocked, or not started after one), besides the failed and held ones.</summary>
    public int Blocked => _notDone.Count - _failures.Count - _held.Count;

    /// <summary>Holds cells the scan found held (a pending or rejected drift review), so that the cells reading from them are blocked.</summary>
    public void Hold(string stage, IReadOnlyList<CellDecision> held)
    {
        foreach (var decision in held)
        {
            Keep(new CellFailure(stage, decision.Cell.Partition, $"{decision.Cell.Label}: {decision.Decision.Reason}"), decision.Cell.Label);
        }
    }

    /// <summary>The cells of the stage that cannot run in this run, with the upstream cell that keeps each; they count as not done.</summary>
    public IReadOnlyList<BlockedCell> Block(StagePlan stage, IReadOnlyList<string?> partitions)
    {
        var blocked = new List<BlockedCell>();
        foreach (var partition in partitions)
        {
            if (BlockedBy(stage, partition) is { } upstream)
            {
                blocked.Add(new BlockedCell(partition, upstream));
            }
        }

        var result = new List<BlockedCell>(blocked.Count);
        foreach (var cell in blocked)
        {
            _notDone.Add((stage.Name, cell.Partition));
            var held = _heldLabels.Contains(cell.Upstream);
            if (held)
            {
                // Downstream of a held cell is held too, not failed: the cells that read from this one say so.
                _heldLabels.Add(cell.Partition is null ? stage.Name : $"{stage.Name} {_plan.Definition.Partitions.Key}={cell.Partition}");
            }

            result.Add(cell with { Held = held });
        }

        return result;
    }

    /// <summary>
    /// Runs the cells decided to run through <paramref name="execute"/>, which returns a cell's metrics or throws
    /// <see cref="StageFailedException"/> for a failed cell. Any other exception (a cancelled cell, a fault of the
    /// engine) ends the stage and is returned as <see cref="StageCells.Aborted"/>.
    /// </summary>
    public StageCells Run(StagePlan stage, IReadOnlyList<CellDecision> decisions, Func<CellDecision, IReadOnlyDictionary<string, double>> execute, CancellationToken cancellation)
    {
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var succeeded = new HashSet<string?>();
        var failures = new List<(int Order, CellFailure Failure, StageFailedException Exception)>();
        var held = new List<(int Order, CellFailure Cell)>();
        var toRun = decisions.Select((d, i) => (Decision: d, Order: i)).Where(d => d.Decision.Decision.Run).ToList();
        var options = new ParallelOptions { MaxDegreeOfParallelism = stage.Definition.Partitioned ? _parallelism : 1 };
        Exception? aborted = null;
        try
        {
            Parallel.ForEach(toRun, options, (item, loop) =>
            {
                if (loop.ShouldExitCurrentIteration || cancellation.IsCancellationRequested)
                {
                    return;
                }

                try
                {
                    var cellMetrics = execute(item.Decision);
                    lock (metrics)
                    {
                        foreach (var (name, value) in cellMetrics)
                        {
                            metrics[name] = metrics.GetValueOrDefault(name) + value;
                        }

                        succeeded.Add(item.Decision.Cell.Partition);
                    }
                }
                catch (CellHeldException e)
                {
                    // Held, not failed: the other cells go on even without keep-going.
                    lock (held)
                    {
                        held.Add((item.Order, new CellFailure(stage.Name, item.Decision.Cell.Partition, e.Message)));
                    }
                }
                catch (StageFailedException e)
                {
                    lock (failures)
                    {
                        failures.Add((item.Order, new CellFailure(stage.Name, item.Decision.Cell.Partition, e.Message), e));
                    }

                    if (!_keepGoing)
                    {
                        loop.Stop();
                    }
                }
            });
        }
        catch (AggregateException e)
        {
            aborted = e.InnerExceptions.FirstOrDefault(x => x is OperationCanceledException) ?? e.InnerExceptions[0];
        }

        failures.Sort((a, b) => a.Order.CompareTo(b.Order));
        held.Sort((a, b) => a.Order.CompareTo(b.Order));
        return new StageCells(succeeded, metrics, failures.Select(f => f.Failure).ToList(), failures.Select(f => f.Exception).ToList(), aborted)
        {
            NotSucceeded = toRun.Select(t => t.Decision.Cell.Partition).Where(p => !succeeded.Contains(p)).ToList(),
            Held = held.Select(h => h.Cell).ToList(),
        };
    }

    /// <summary>Records a stage's failed cells and the cells it decided to run that did not succeed, so that the cells reading from them are blocked.</summary>
    public void Settle(string stage, StageCells cells)
    {
        foreach (var failure in cells.Failures)
        {
            _failures.Add(failure);
            _notDone.Add((failure.Stage, failure.Partition));
        }

        foreach (var cell in cells.Held)
        {
            Keep(cell, cell.Partition is null ? cell.Stage : $"{cell.Stage} {_plan.Definition.Partitions.Key}={cell.Partition}");
        }

        foreach (var partition in cells.NotSucceeded)
        {
            _notDone.Add((stage, partition));
        }
    }

    private void Keep(CellFailure cell, string label)
    {
        _held.Add(cell);
        _heldLabels.Add(label);
        _notDone.Add((cell.Stage, cell.Partition));
    }

    /// <summary>The upstream cell that keeps this one from running (it failed or was not run), or null when it can run.</summary>
    private string? BlockedBy(StagePlan stage, string? partition)
    {
        foreach (var producer in stage.Producers.Select(_plan.Stage))
        {
            if (!producer.Definition.Partitioned)
            {
                if (_notDone.Contains((producer.Name, null)))
                {
                    return producer.Name;
                }
            }
            else if (partition is not null)
            {
                if (_notDone.Contains((producer.Name, partition)))
                {
                    return $"{producer.Name} {_plan.Definition.Partitions.Key}={partition}";
                }
            }
            else if (_notDone.FirstOrDefault(d => d.Stage == producer.Name) is { Stage: not null } upstream)
            {
                return $"{producer.Name} {_plan.Definition.Partitions.Key}={upstream.Partition}";
            }
        }

        return null;
    }
}
