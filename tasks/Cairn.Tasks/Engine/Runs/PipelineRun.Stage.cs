using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Cairn.Engine.Decisions;

namespace Cairn.Engine.Runs;

internal sealed partial class PipelineRun
{
    /// <summary>Decides every cell of the stage for the selected partitions, runs the stale ones, and fails fast.</summary>
    public void RunStage(string stageName)
    {
        var stage = Plan.Stage(stageName);
        var clock = Stopwatch.StartNew();
        Notify(o => o.OnStageStarted(RunId, stage.Name));
        var partitions = stage.Definition.Partitioned ? Options.Partitions.Select(p => (string?)p).ToList() : [null];
        // Deciding reads checkpoints and hashes files, cell by cell independently: spread it over the cores.
        var decided = new CellDecision[partitions.Count];
        try
        {
            Parallel.For(0, partitions.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => decided[i] = Decide(stage, partitions[i]));
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(x => x is StageFailedException) is { } first)
        {
            ExceptionDispatchInfo.Capture(first).Throw();
        }
        var decisions = decided.ToList();
        foreach (var unreadable in decisions.Where(d => d.Decision.Kind == DecisionKind.CheckpointUnreadable))
        {
            _console.Line($"warning: {unreadable.Decision.Reason}");
        }

        Report(stage, decisions);
        Notify(o => o.OnStageDecided(RunId, stage.Name, decisions));
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var ran = 0;
        try
        {
            foreach (var decision in decisions.Where(d => d.Decision.Run))
            {
                foreach (var (name, value) in Execute(stage, decision))
                {
                    metrics[name] = metrics.GetValueOrDefault(name) + value;
                }

                ran++;
            }
        }
        catch (StageFailedException)
        {
            var failed = new StageResult(stage.Name, decisions.Count, ran, decisions.Count(d => !d.Decision.Run), 1, clock.Elapsed, metrics);
            _results.Add(failed);
            Notify(o => o.OnStageFinished(RunId, failed));
            throw;
        }

        var result = new StageResult(stage.Name, decisions.Count, ran, decisions.Count - ran, 0, clock.Elapsed, metrics);
        _results.Add(result);
        if (ran > 0)
        {
            var figures = metrics.Count == 0 ? string.Empty : " (" + string.Join(", ", metrics.Select(m => $"{m.Key} {Format(m.Value)}")) + ")";
            _console.Line($"{stage.Name}: ran {ran} {Cells(ran)} in {clock.Elapsed.TotalSeconds:0.00} s{figures}");
        }

        // After the stage's last line, so an observer that frames a stage's output (CI log groups) frames all of it.
        Notify(o => o.OnStageFinished(RunId, result));
    }

    private CellDecision Decide(StagePlan stage, string? partition)
    {
        var cell = _binder.Bind(stage, partition);
        var hashes = new string[cell.Inputs.Count];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i] = _hashes.Get(cell.Inputs[i].FullPath) ?? throw MissingInput(stage, cell, cell.Inputs[i]);
        }

        var fingerprint = Fingerprint.Compute(cell, stage.Descriptor.TaskType.FullName!, stage.Descriptor.CodeVersion, hashes);
        var previous = _checkpoints.Read(stage.Name, partition);
        var decision = UpToDateCheck.Decide(
            cell,
            fingerprint,
            stage.Descriptor.CodeVersion,
            hashes,
            previous,
            Options.IsForced(stage.Name),
            _hashes,
            _binder.FullPathOfWorkspaceFile,
            stage.DirectoryOutputs);
        return new CellDecision(cell, fingerprint, hashes, previous.Checkpoint, decision);
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

        var groups = running.GroupBy(d => d.Decision.Kind).Select(g => $"{Describe(g.Key, g.First().Decision.Reason)} ({g.Count()})");
        _console.Line($"{stage.Name}: run {running.Count} {Cells(running.Count)}: {string.Join(", ", groups)}{upToDate} (each cell's reason: {Layout.Relative(RunLogPath)})");
    }

    internal static string Describe(DecisionKind kind, string example) => kind switch
    {
        DecisionKind.FirstRun => "first run",
        DecisionKind.Forced => "forced",
        DecisionKind.CodeChanged => "code changed",
        DecisionKind.InputChanged => "input changed",
        DecisionKind.ParameterChanged => example,
        DecisionKind.OutputMissing => "output missing",
        DecisionKind.OutputModified => "output modified",
        DecisionKind.CheckpointUnreadable => "checkpoint unreadable",
        DecisionKind.OutputsRebound => "output paths changed",
        _ => example,
    };

    private static string Cells(int count) => count == 1 ? "cell" : "cells";

    private static string ForPartition(string? partition) => partition is null ? string.Empty : $" for date={partition}";

    private static string Format(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? value.ToString("0", System.Globalization.CultureInfo.InvariantCulture)
            : value.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
}
