using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Cairn.Engine.Plan;
using Cairn.Engine.Scan;

namespace Cairn.Engine.Runs;

internal sealed partial class PipelineRun
{
    /// <summary>
    /// Decides every cell of the stage for the selected partitions and runs the stale ones, up to
    /// <see cref="RunOptions.Parallelism"/> at once. Fail-fast by default: the first failure stops new cells from
    /// starting (running ones finish and are recorded) and fails the stage. With <see cref="RunOptions.KeepGoing"/>,
    /// every cell that does not depend on a failed one still runs, and the run fails at the end.
    /// </summary>
    public void RunStage(string stageName)
    {
        var stage = Plan.Stage(stageName);
        var clock = Stopwatch.StartNew();
        _cancellation.Token.ThrowIfCancellationRequested();
        Notify(o => o.OnStageStarted(RunId, stage.Name));
        var partitions = stage.Definition.Partitioned ? Options.Partitions.Select(p => (string?)p).ToList() : [null];
        if (Options.SkippedStages.Contains(stage.Name))
        {
            _console.Line($"{stage.Name}: skipped by --skip ({partitions.Count} {Cells(partitions.Count)} keep their recorded outputs)");
            Record(new StageResult(stage.Name, partitions.Count, 0, partitions.Count, 0, clock.Elapsed, new Dictionary<string, double>()));
            return;
        }

        var blocked = partitions.Where(p => BlockedBy(stage, p) is not null).ToHashSet();
        var open = partitions.Where(p => !blocked.Contains(p)).ToList();
        foreach (var partition in blocked)
        {
            _notDone.Add((stage.Name, partition));
            _console.Detail($"{Label(stage.Name, partition)}: not run, {BlockedBy(stage, partition)}");
        }

        if (blocked.Count > 0)
        {
            _console.Line($"{stage.Name}: {blocked.Count} {Cells(blocked.Count)} not run because an upstream cell failed (e.g. {Label(stage.Name, blocked.First())}: {BlockedBy(stage, blocked.First())})");
        }

        var decisions = Decide(stage, open);
        Report(stage, decisions);
        Notify(o => o.OnStageDecided(RunId, stage.Name, decisions));

        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var ran = 0;
        var succeeded = new HashSet<string?>();
        var failures = new List<(int Order, CellFailure Failure, StageFailedException Exception)>();
        var toRun = decisions.Select((d, i) => (Decision: d, Order: i)).Where(d => d.Decision.Decision.Run).ToList();
        var options = new ParallelOptions { MaxDegreeOfParallelism = stage.Definition.Partitioned ? Options.Parallelism : 1 };
        try
        {
            Parallel.ForEach(toRun, options, (item, loop) =>
            {
                if (loop.ShouldExitCurrentIteration || _cancellation.IsCancellationRequested)
                {
                    return;
                }

                try
                {
                    var cellMetrics = Execute(stage, item.Decision);
                    lock (metrics)
                    {
                        foreach (var (name, value) in cellMetrics)
                        {
                            metrics[name] = metrics.GetValueOrDefault(name) + value;
                        }

                        ran++;
                        succeeded.Add(item.Decision.Cell.Partition);
                    }
                }
                catch (StageFailedException e)
                {
                    lock (failures)
                    {
                        failures.Add((item.Order, new CellFailure(stage.Name, item.Decision.Cell.Partition, e.Message), e));
                    }

                    if (!Options.KeepGoing)
                    {
                        loop.Stop();
                    }
                }
            });
        }
        catch (AggregateException e)
        {
            // A cancelled run, or a fault of the engine itself (not of a stage): record what happened, pass it on unwrapped.
            _checkpoints.Flush();
            Record(new StageResult(stage.Name, partitions.Count, ran, decisions.Count(d => !d.Decision.Run), failures.Count, clock.Elapsed, metrics) { NotRun = partitions.Count - ran - decisions.Count(d => !d.Decision.Run) - failures.Count });
            var first = e.InnerExceptions.FirstOrDefault(x => x is OperationCanceledException) ?? e.InnerExceptions[0];
            ExceptionDispatchInfo.Capture(first).Throw();
        }

        _checkpoints.Flush();
        _cancellation.Token.ThrowIfCancellationRequested();
        failures.Sort((a, b) => a.Order.CompareTo(b.Order));
        foreach (var (_, failure, _) in failures)
        {
            _failures.Add(failure);
            _notDone.Add((failure.Stage, failure.Partition));
        }

        var skipped = decisions.Count(d => !d.Decision.Run);
        var notRun = partitions.Count - ran - skipped - failures.Count;
        foreach (var decision in toRun.Select(t => t.Decision).Where(d => !succeeded.Contains(d.Cell.Partition)))
        {
            _notDone.Add((stage.Name, decision.Cell.Partition));
        }

        if (ran > 0)
        {
            var figures = metrics.Count == 0 ? string.Empty : " (" + string.Join(", ", metrics.Select(m => $"{m.Key} {Format(m.Value)}")) + ")";
            _console.Line($"{stage.Name}: ran {ran} {Cells(ran)} in {clock.Elapsed.TotalSeconds:0.00} s{figures}");
        }

        if (failures.Count > 0 && Options.KeepGoing)
        {
            _console.Line($"{stage.Name}: {failures.Count} {Cells(failures.Count)} failed; going on with the cells that do not depend on them (--keep-going)");
        }

        // After the stage's last line, so an observer that frames a stage's output (CI log groups) frames all of it.
        Record(new StageResult(stage.Name, partitions.Count, ran, skipped, failures.Count, clock.Elapsed, metrics) { NotRun = notRun });
        if (failures.Count > 0 && !Options.KeepGoing)
        {
            ExceptionDispatchInfo.Capture(failures[0].Exception).Throw();
        }
    }

    private void Record(StageResult result)
    {
        _results.Add(result);
        Notify(o => o.OnStageFinished(RunId, result));
    }

    /// <summary>Why a cell cannot run in this run: an upstream cell it reads from failed or was not run; null when it can.</summary>
    private string? BlockedBy(StagePlan stage, string? partition)
    {
        foreach (var producer in stage.Producers.Select(Plan.Stage))
        {
            if (!producer.Definition.Partitioned)
            {
                if (_notDone.Contains((producer.Name, null)))
                {
                    return $"upstream {producer.Name} failed or was not run";
                }
            }
            else if (partition is not null)
            {
                if (_notDone.Contains((producer.Name, partition)))
                {
                    return $"upstream {producer.Name} date={partition} failed or was not run";
                }
            }
            else if (_notDone.FirstOrDefault(d => d.Stage == producer.Name) is { Stage: not null } upstream)
            {
                return $"upstream {producer.Name} date={upstream.Partition} failed or was not run";
            }
        }

        return null;
    }

    private List<CellDecision> Decide(StagePlan stage, List<string?> partitions)
    {
        var decisions = _scanner.Scan(stage, partitions).ToList();
        if (decisions.FirstOrDefault(d => d.MissingInputs.Count > 0) is { } missing)
        {
            throw MissingInput(stage, missing.Cell, missing.MissingInputs[0]);
        }

        foreach (var unreadable in decisions.Where(d => d.Decision.Kind == DecisionKind.CheckpointUnreadable))
        {
            _console.Line($"warning: {unreadable.Decision.Reason}");
        }

        return decisions;
    }

    private StageFailedException MissingInput(StagePlan stage, CellBinding cell, BoundFile input)
    {
        var producers = stage.Producers.Count == 0
            ? "Check the path in " + Plan.Definition.FilePath + "."
            : $"It is written by {string.Join(" or ", stage.Producers.Select(p => $"'{p}'"))}; run a target that includes it (without --exclusive).";
        return new StageFailedException($"Stage '{stage.Name}' cannot run{ForPartition(cell.Partition)}: its input {input.Property} = {input.LogicalPath} does not exist. {producers}");
    }

    /// <summary>One line per stage when nothing runs; one line per cell when a few run; grouped by reason when many do.</summary>
    private void Report(StagePlan stage, List<CellDecision> decisions)
    {
        var running = decisions.Where(d => d.Decision.Run).ToList();
        var skipped = decisions.Count - running.Count;
        if (decisions.Count == 0)
        {
            return;
        }

        if (running.Count == 0)
        {
            _console.Line(decisions.Count == 1
                ? $"{stage.Name}: skipped, up to date"
                : $"{stage.Name}: skipped, all {decisions.Count} cells up to date");
            return;
        }

        foreach (var decision in running)
        {
            _console.Detail($"{decision.Cell.Label}: run, {decision.Decision.Reason}");
        }

        const int PerCellLimit = 12;
        var upToDate = skipped == 0 ? string.Empty : $"; {skipped} up to date";
        if (running.Count <= PerCellLimit)
        {
            foreach (var decision in running)
            {
                _console.Line($"{decision.Cell.Label}: run, {decision.Decision.Reason}");
            }

            if (skipped > 0)
            {
                _console.Line($"{stage.Name}: {skipped} {Cells(skipped)} up to date, skipped");
            }

            return;
        }

        var groups = running.GroupBy(d => d.Decision.Kind).Select(g => $"{CauseText.Describe(g.Key, g.First().Decision.Reason)} ({g.Count()})");
        _console.Line($"{stage.Name}: run {running.Count} {Cells(running.Count)}: {string.Join(", ", groups)}{upToDate} (each cell's reason: {Layout.Relative(RunLogPath)})");
    }

    private static string Label(string stage, string? partition) => partition is null ? stage : $"{stage} date={partition}";

    private static string Cells(int count) => count == 1 ? "cell" : "cells";

    private static string ForPartition(string? partition) => partition is null ? string.Empty : $" for date={partition}";

    private static string Format(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? value.ToString("0", System.Globalization.CultureInfo.InvariantCulture)
            : value.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
}
