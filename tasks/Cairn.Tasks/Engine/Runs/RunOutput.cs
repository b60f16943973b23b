using System.Globalization;
using Cairn.Engine.Governance;
using Cairn.Engine.Hosting;
using Cairn.Engine.Scan;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Runs;

/// <summary>
/// Every line a run writes (to the console and its run log, to a cell's log) and every message it fails with, and
/// the exit code it ends with: the one place to read or change what a run says.
/// </summary>
internal sealed class RunOutput
{
    /// <summary>Exit code of a run stopped by Ctrl+C (SIGINT).</summary>
    public const int InterruptedExitCode = 130;

    /// <summary>Exit code of a run stopped by SIGTERM.</summary>
    public const int TerminatedExitCode = 143;

    // Up to this many running cells of a stage are named one a line; more are grouped by reason.
    private const int PerCellLimit = 12;

    private readonly RunConsole _console;

    public RunOutput(RunConsole console) => _console = console;

    /// <summary>The key of the pipeline's partition folders, which names a partition in what the run prints.</summary>
    public string PartitionKey { get; init; } = Partitions.PartitionScheme.Default.Key;

    public RunConsole Console => _console;

    public void Started(string runId, string pipeline, string target, string environment, int partitions, string toolVersion) =>
        _console.Detail(string.Create(CultureInfo.InvariantCulture, $"run {runId} pipeline {pipeline} target {target} env {environment} partitions {partitions:N0} tool {toolVersion}"));

    /// <summary>Before a backfill runs: the partitions its whole-dataset stages read that were never built, built first.</summary>
    public void NeverBuilt(Backfill backfill)
    {
        if (backfill.NeverBuilt.Count > 0)
        {
            var count = backfill.NeverBuilt.Count;
            _console.Line(string.Create(CultureInfo.InvariantCulture, $"{PartitionCount(count)} that {string.Join(", ", backfill.Readers)} {(backfill.Readers.Count == 1 ? "reads" : "read")} {(count == 1 ? "was" : "were")} never built ({Examples(backfill.NeverBuilt, PartitionKey)}): {(count == 1 ? "it is" : "they are")} built first ({string.Join(", ", backfill.Builders)} run for {(count == 1 ? "it" : "them")} too)"));
        }
    }

    /// <summary>Before a whole-dataset stage of a backfill: what its window reads, from this run and as last built.</summary>
    public void Reads(string stage, int window, int inThisRun) =>
        _console.Line(string.Create(CultureInfo.InvariantCulture, $"{stage} reads {PartitionCount(window)}: {inThisRun:N0} rebuilt in this run, {window - inThisRun:N0} as last built"));

    /// <summary>The run summary's note on the stale partitions a backfill read as last built, with how to refresh them.</summary>
    public static string StaleOutside(IReadOnlyList<string> partitions, string selectedBy, string partitionKey) =>
        string.Create(CultureInfo.InvariantCulture, $"read as last built: {PartitionCount(partitions.Count)} outside the selection {(partitions.Count == 1 ? "is" : "are")} stale ({Examples(partitions, partitionKey)}); run without {selectedBy} to refresh {(partitions.Count == 1 ? "it" : "them")}");

    public void Warning(string problem) => _console.Line($"warning: {problem}");

    public void ObserverFailed(string observer, string message) => Warning($"{observer} failed: {message}");

    public void SkippedByOption(string stage, int cells) =>
        _console.Line(string.Create(CultureInfo.InvariantCulture, $"{stage}: skipped by --skip ({cells:N0} {Cells(cells)} keep their recorded outputs)"));

    /// <summary>The cells an upstream failure keeps from running: each in the run log, one line for the stage.</summary>
    /// <summary>Each cell held for a person's review of schema drift, one line each (they are few: one per drifted partition).</summary>
    public void Held(IEnumerable<string> held)
    {
        foreach (var line in held)
        {
            _console.Line(line);
        }
    }

    public void Blocked(string stage, IReadOnlyList<BlockedCell> blocked)
    {
        foreach (var cell in blocked)
        {
            _console.Detail($"{Label(stage, cell.Partition)}: not run, {NotRun(cell)}");
        }

        if (blocked.Count > 0)
        {
            var why = blocked.All(b => b.Held) ? "an upstream cell is held for approval" : "an upstream cell failed";
            _console.Line(string.Create(CultureInfo.InvariantCulture, $"{stage}: {blocked.Count:N0} {Cells(blocked.Count)} not run because {why} (e.g. {Label(stage, blocked[0].Partition)}: {NotRun(blocked[0])})"));
        }
    }

    /// <summary>
    /// What the stage's cells were decided: one line when nothing runs; one line per cell when a few run; grouped by
    /// reason when many do. Every running cell's reason goes to the run log once.
    /// </summary>
    public void Decided(string stage, IReadOnlyList<CellDecision> decisions, string runLog)
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
                ? $"{stage}: skipped, up to date"
                : string.Create(CultureInfo.InvariantCulture, $"{stage}: skipped, all {decisions.Count:N0} cells up to date"));
            return;
        }

        var upToDate = skipped == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"; {skipped:N0} up to date");
        if (running.Count <= PerCellLimit)
        {
            foreach (var decision in running)
            {
                _console.Line($"{decision.Cell.Label}: run, {decision.Decision.Reason}");
            }

            if (skipped > 0)
            {
                _console.Line(string.Create(CultureInfo.InvariantCulture, $"{stage}: {skipped:N0} {Cells(skipped)} up to date, skipped"));
            }

            return;
        }

        // Too many for the console: each cell's reason goes to the run log alone (a line shown above is logged already).
        foreach (var decision in running)
        {
            _console.Detail($"{decision.Cell.Label}: run, {decision.Decision.Reason}");
        }

        var groups = running.GroupBy(d => d.Decision.Kind).Select(g => string.Create(CultureInfo.InvariantCulture, $"{CauseText.Describe(g.Key, g.First().Decision.Reason)} ({g.Count():N0})"));
        _console.Line(string.Create(CultureInfo.InvariantCulture, $"{stage}: run {running.Count:N0} {Cells(running.Count)}: {string.Join(", ", groups)}{upToDate} (each cell's reason: {runLog})"));
    }

    public void Ran(string stage, int ran, TimeSpan elapsed, IReadOnlyDictionary<string, double> metrics)
    {
        var figures = metrics.Count == 0 ? string.Empty : " (" + string.Join(", ", metrics.Select(m => $"{m.Key} {Format(m.Value)}")) + ")";
        _console.Line(string.Create(CultureInfo.InvariantCulture, $"{stage}: ran {ran:N0} {Cells(ran)} in {elapsed.TotalSeconds:0.00} s{figures}"));
    }

    /// <summary>
    /// Why the run fails when told not to wait (<c>--no-wait</c>) for cells another run holds: which cells, which run
    /// holds them, and the fix.
    /// </summary>
    public static string HeldByOthers(IReadOnlyList<HeldCells> held, string partitionKey) =>
        $"Another run holds cells this run needs: {string.Join("; ", held.GroupBy(h => h.RunId).Select(g => $"{CellsOf([.. g], partitionKey)}, held by run {g.Key} ({g.First().Holder})"))}. Wait for it (drop --no-wait), or select partitions it does not hold.";

    /// <summary>The run waits for cells another run holds; said once, when the waiting begins.</summary>
    public void Waiting(IReadOnlyList<HeldCells> held)
    {
        _console.Line($"waiting for {string.Join("; ", held.GroupBy(h => h.RunId).Select(g => $"{CellsOf([.. g], PartitionKey)}, held by run {g.Key} ({g.First().Holder})"))} (pass --no-wait to fail at once instead)");
        _console.Flush();
    }

    /// <summary>A stage some of whose cells came from the shared cache: how many, how many ran here, and the metrics of all.</summary>
    public void Restored(string stage, int restored, int ran, TimeSpan elapsed, IReadOnlyDictionary<string, double> metrics)
    {
        var figures = metrics.Count == 0 ? string.Empty : " (" + string.Join(", ", metrics.Select(m => $"{m.Key} {Format(m.Value)}")) + ")";
        _console.Line(string.Create(CultureInfo.InvariantCulture, $"{stage}: {restored:N0} {Cells(restored)} restored from cache, {ran:N0} ran in {elapsed.TotalSeconds:0.00} s{figures}"));
    }

    /// <summary>What a restored cell's checkpoint notes, and the run log says of it.</summary>
    public static string RestoredFrom(string cache) => $"restored from cache {cache}";

    public void KeptGoing(string stage, int failed) =>
        _console.Line(string.Create(CultureInfo.InvariantCulture, $"{stage}: {failed:N0} {Cells(failed)} failed; going on with the cells that do not depend on them (--keep-going)"));

    /// <summary>A failed attempt about to be retried; the line also goes to the cell's log.</summary>
    public string Retrying(string cell, int nextAttempt, int attempts, TimeSpan delay, string? failure, string? parameter, string? nextValue)
    {
        var vary = nextValue is not null ? $"; retrying with {parameter} {nextValue}" : string.Empty;
        var line = $"{cell}: attempt {nextAttempt}/{attempts} after {delay.TotalSeconds:0.0} s: {failure}{vary}";
        _console.Line(line);
        return line;
    }

    public void CellFailed(string message) => _console.Detail(message);

    public static string GatePassed(string cell, Review review) =>
        $"{cell}: passes its gate by review {review.Id}, {review.Decision}";

    public static string GateRejected(string? failure, Review review) =>
        $"{failure}; review {review.Id} of exactly this was {review.Decision}. Change what was judged (the model, its data or its parameters) and run again: a change files a new review";

    /// <summary>A failure of a stage this run sets parameters of (<c>--set</c>): the values came from the command line, not the pipeline's configuration the task's message may name.</summary>
    public static string SetOnCommandLine(string? failure, IReadOnlyList<Plan.ParameterOverride> set) =>
        $"{failure}; this run sets {string.Join(" and ", set.Select(o => $"{o.Key}={o.Canonical} ({o.Value.Source})"))} over the pipeline's {(set.Count == 1 ? "value" : "values")}, so change or drop {(set.Count == 1 ? "that --set" : "those --set arguments")} instead";

    public static string GatePending(string? failure, Review review) =>
        $"{failure}; stopped at the gate: review {review.Id} is pending. A person approves it with ./build.sh --target=Approve --review={review.Id} --reason=\"…\" (or --target=Reject), and the next run passes the gate for exactly this model, data and parameters";

    public void Published(string stage, string to, string version, bool added) =>
        _console.Line($"{stage}: published {to}/{version}{(added ? string.Empty : " (already there: published again)")}; {to}/LATEST names it");

    public void TokenPublishedAlready(string stage, string token, string to, string version, string runId) =>
        _console.Line($"{stage}: run token {token} already published {to}/{version} (run {runId}); nothing is published again");

    public void Pruned(string stage, string to, string version, int keep) =>
        _console.Line(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{stage}: removed {to}/{version}, the oldest beyond keep: {keep}"));

    /// <summary>The first line of a cell's log for an attempt.</summary>
    public static string AttemptNote(string runId, string cell, string reason, int attempt, int attempts) =>
        $"run {runId}: {cell}: {reason}{(attempts > 1 ? $" (attempt {attempt}/{attempts})" : string.Empty)}";

    public static string InputNote(string property, string path) => $"input {property} {path}";

    public static string AttemptEndNote(bool succeeded, TimeSpan elapsed, string? failure) =>
        succeeded ? $"succeeded in {elapsed.TotalSeconds:0.000} s" : $"failed: {failure}";

    /// <summary>A fan-out stage that wrote what is not a partition of the pipeline: the cell fails, nothing of it lands.</summary>
    public static string FanOutRefused(string stage, Partitions.FanOutLayout layout, IReadOnlyList<string> problems) =>
        $"{stage} fans out into {layout.Folder}/{layout.Layout}, but {string.Join("; ", problems)}. Nothing it wrote was kept";

    /// <summary>A stage that fans out wrote partitions outside the run's selection: not landed, and the ones landed before kept.</summary>
    public static string LandedOutsideSelection(string stage, string folder, IReadOnlyList<string> folders, Stages.PartitionSelection selection) =>
        string.Create(CultureInfo.InvariantCulture, $"{stage}: wrote {PartitionCount(folders.Count)} outside {selection.Arguments} ({folders[0]}{(folders.Count > 1 ? $" to {folders[^1]}" : string.Empty)}): not landed; {folder}/ keeps what it held for them. Bind a parameter to {{selection}} so that the stage writes only the selected ones");

    /// <summary>After a stage that fans out: the partitions the stages downstream run for, from what it landed.</summary>
    public void Landed(string stage, string folder, IReadOnlyList<string> all, IReadOnlyList<string> selected, string? selectedBy)
    {
        var span = all.Count == 0 ? string.Empty : $" ({all[0]} to {all[^1]})";
        var selection = selectedBy is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"; {selectedBy} selects {PartitionCount(selected.Count)}");
        _console.Line(string.Create(CultureInfo.InvariantCulture, $"{stage}: {folder}/ holds {PartitionCount(all.Count)}{span}{selection}"));
    }

    public static string OutputNotWritten(string property, string path) =>
        $"the task succeeded but did not write its output {property} ({path})";

    /// <summary>An attempt whose inputs moved under it: said on the retry line and in the cell's log.</summary>
    public static string InputsMoved(IEnumerable<string> paths) =>
        $"input changed while the stage ran: {Paths(paths)}; its outputs were discarded";

    /// <summary>The cell's failure when its inputs moved under every attempt the policy allows.</summary>
    public static string InputsKeptChanging(IEnumerable<string> paths) =>
        $"input kept changing while the stage ran: {Paths(paths)}; nothing was recorded";

    public static string InputRemoved(IEnumerable<string> paths) =>
        $"input removed while the stage ran: {Paths(paths)}; nothing was recorded";

    /// <summary>The cell log's line for a failure of the engine's own, with the whole exception.</summary>
    public static string EngineFailedNote(Exception e) => $"engine failure: {e}";

    public static string CellCancelled(string cell) => $"{cell} was cancelled; nothing of it was recorded";

    /// <summary>A failed cell's message; its partition as people read it (<c>date=2013-05-03</c>, <see cref="Plan.CellBinding.PartitionLabel"/>), null for a whole-dataset cell.</summary>
    public static string StageFailed(string stage, string? partition, int attempts, string? failure, string log) =>
        $"Stage '{stage}' failed{ForPartition(partition)}{(attempts > 1 ? $" after {attempts} attempts" : string.Empty)}: {failure} (log: {log})";

    /// <summary>A cell's missing input; its partition as people read it (<see cref="Plan.CellBinding.PartitionLabel"/>), null for a whole-dataset cell.</summary>
    public static string MissingInput(string stage, string? partition, string property, string path, IReadOnlyList<string> producers, string pipelineFile)
    {
        var fix = producers.Count == 0
            ? "Check the path in " + pipelineFile + "."
            : $"It is written by {string.Join(" or ", producers.Select(p => $"'{p}'"))}; run a target that includes it (without --exclusive).";
        return $"Stage '{stage}' cannot run{ForPartition(partition)}: its input {property} = {path} does not exist. {fix}";
    }

    public static string TimedOut(TimeSpan timeout) => $"the run's --timeout of {Configuration.Durations.Format(timeout)} ran out";

    /// <summary>Prints the run's stage table, what failed and what was not run because of it, and the outcome.</summary>
    /// <returns>The run's status (succeeded, failed, cancelled) and the process exit code: 0, 1, or 130/143 when cancelled by SIGINT/SIGTERM.</returns>
    public (string Status, int ExitCode) Summary(RunSummary run)
    {
        var failed = run.Failure is not null || run.Failures.Count > 0;
        var held = run.Held.Count > 0;
        var notes = new List<string>();
        var notReached = run.Stages.Where(s => run.Results.All(r => r.Stage != s)).ToList();
        if ((failed || held) && notReached.Count > 0)
        {
            notes.Add($"not reached: {string.Join(", ", notReached)}");
        }

        notes.AddRange(run.Failures.Select(cell => $"failed: {cell.Message}"));
        notes.AddRange(run.Held.Select(cell => $"held: {cell.Message}"));
        if (held && run.Blocked > 0 && !run.KeepGoing && !failed)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"not run because a cell is held for approval: {run.Blocked:N0} {Cells(run.Blocked)}; they run once the drift is approved"));
        }

        if (run.KeepGoing && run.Blocked > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"not run because of a failure: {run.Blocked:N0} {Cells(run.Blocked)}; the next run runs them and the failed ones, nothing else"));
        }

        if (run.StaleOutside.Count > 0 && run.SelectedBy is not null)
        {
            notes.Add(StaleOutside(run.StaleOutside, run.SelectedBy, PartitionKey));
        }

        string status;
        int exitCode;
        if (run.Cancelled)
        {
            status = "cancelled";
            var why = run.CancelReason ?? run.Failure?.Message ?? "cancelled";
            var timedOut = run.CancelReason?.Contains("--timeout", StringComparison.Ordinal) == true;
            exitCode = timedOut ? 1 : run.CancelledExitCode;
            notes.Add($"cancelled: {why}; the running cells' outputs were discarded and nothing of them recorded");
        }
        else if (failed)
        {
            status = "failed";
            exitCode = 1;
            if (run.Failure is not null && run.Failures.All(f => f.Message != run.Failure.Message))
            {
                notes.Add($"failed: {run.Failure.Message}");
            }
        }
        else if (held)
        {
            // Not failed: a person's decision lets the held cells go on (README: exit codes).
            status = "held";
            exitCode = 3;
        }
        else
        {
            status = "succeeded";
            exitCode = 0;
        }

        _console.Line(Reporting.RunSummaryText.Write(run.RunId, run.Environment, run.Partitions, status, run.Elapsed, run.RunLog, run.Results, notes));
        _console.Flush();
        return (status, exitCode);
    }

    private static string Paths(IEnumerable<string> paths)
    {
        var list = paths.ToList();
        return list.Count <= 3 ? string.Join(", ", list) : string.Create(CultureInfo.InvariantCulture, $"{string.Join(", ", list.Take(3))} and {list.Count - 3:N0} more");
    }

    private static string NotRun(BlockedCell cell) => cell.Held
        ? $"upstream {cell.Upstream} is held for approval of schema drift"
        : $"upstream {cell.Upstream} failed or was not run";

    private string Label(string stage, string? partition) => partition is null ? stage : $"{stage} {PartitionKey}={partition}";

    private static string PartitionCount(int count) => string.Create(CultureInfo.InvariantCulture, $"{count:N0} {(count == 1 ? "partition" : "partitions")}");

    private static string Examples(IReadOnlyList<string> partitions, string key) =>
        partitions.Count <= 3
            ? string.Join(", ", partitions.Select(p => key + "=" + p))
            : string.Create(CultureInfo.InvariantCulture, $"{key}={partitions[0]}, {key}={partitions[1]}, … and {partitions.Count - 2:N0} more");

    /// <summary>Cells held by one run, in words: <c>31 cells (Ingest, Clean for date=2013-06-01, date=2013-06-02, … and 13 more; Train)</c>.</summary>
    private static string CellsOf(IReadOnlyList<HeldCells> held, string partitionKey)
    {
        var count = held.Sum(h => h.Partitions.Count);
        var partitioned = held.Where(h => h.Partitions.Any(p => p is not null)).ToList();
        var partitions = partitioned.SelectMany(h => h.Partitions).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var which = new List<string>();
        if (partitioned.Count > 0)
        {
            which.Add($"{string.Join(", ", partitioned.Select(h => h.Stage).Distinct(StringComparer.Ordinal))} for {Examples(partitions, partitionKey)}");
        }

        var whole = held.Where(h => h.Partitions.Contains(null)).Select(h => h.Stage).Distinct(StringComparer.Ordinal).ToList();
        if (whole.Count > 0)
        {
            which.Add(string.Join(", ", whole));
        }

        return string.Create(CultureInfo.InvariantCulture, $"{count:N0} {Cells(count)} ({string.Join("; ", which)})");
    }

    private static string Cells(int count) => count == 1 ? "cell" : "cells";

    private static string ForPartition(string? partition) => partition is null ? string.Empty : $" for {partition}";

    private static string Format(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? value.ToString("0", CultureInfo.InvariantCulture)
            : value.ToString("0.####", CultureInfo.InvariantCulture);
}
