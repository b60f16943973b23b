namespace Cairn.Engine.Runs;

internal sealed partial class PipelineRun
{
    /// <summary>Exit code of a run stopped by Ctrl+C (SIGINT).</summary>
    public const int InterruptedExitCode = 130;

    /// <summary>Exit code of a run stopped by SIGTERM.</summary>
    public const int TerminatedExitCode = 143;

    /// <summary>
    /// Prints the run's stage table, what failed and what was not run because of it, and the outcome; tells the
    /// observers; releases the workspace.
    /// </summary>
    /// <returns>The process exit code: 0 succeeded, 1 failed, 130/143 cancelled by SIGINT/SIGTERM.</returns>
    public int Finish(Exception? failure, int cancelledExitCode = 1)
    {
        var cancelled = failure is OperationCanceledException || (failure?.InnerException is OperationCanceledException) || _cancellation.IsCancellationRequested;
        var failed = failure is not null || _failures.Count > 0;
        var notes = new List<string>();
        var notReached = Plan.Stages.Where(s => _results.All(r => r.Stage != s.Name)).Select(s => s.Name).ToList();
        if (failed && notReached.Count > 0)
        {
            notes.Add($"not reached: {string.Join(", ", notReached)}");
        }

        notes.AddRange(_failures.Select(cell => $"failed: {cell.Message}"));
        var blocked = _notDone.Count - _failures.Count;
        if (Options.KeepGoing && blocked > 0)
        {
            notes.Add($"not run because of a failure: {blocked} {Cells(blocked)}; the next run runs them and the failed ones, nothing else");
        }

        string status;
        int exitCode;
        if (cancelled)
        {
            status = "cancelled";
            var why = _cancelReason ?? failure?.Message ?? "cancelled";
            var timedOut = _cancelReason?.Contains("--timeout", StringComparison.Ordinal) == true;
            exitCode = timedOut ? 1 : cancelledExitCode;
            notes.Add($"cancelled: {why}; the running cells' outputs were discarded and nothing of them recorded");
        }
        else if (failed)
        {
            status = "failed";
            exitCode = 1;
            if (failure is not null && _failures.All(f => f.Message != failure.Message))
            {
                notes.Add($"failed: {failure.Message}");
            }
        }
        else
        {
            status = "succeeded";
            exitCode = 0;
        }

        _console.Line(Reporting.RunSummaryText.Write(RunId, Options.Environment, Options.Partitions.Count, status, _clock.Elapsed, Layout.Relative(RunLogPath), _results, notes));
        _console.Flush();
        var message = failure?.Message ?? _failures.FirstOrDefault()?.Message;
        Notify(o => o.OnRunFinished(new Observing.RunFinished(RunId, status, message, StartedAt, DateTimeOffset.UtcNow, _results)));
        File.Delete(Path.Combine(Layout.State, "running"));
        return exitCode;
    }
}
