using System.Globalization;
using System.Text;

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
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Cairn run {RunId} ({Options.Environment}, {Options.Partitions.Count} {(Options.Partitions.Count == 1 ? "partition" : "partitions")})");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"Stage",-12} {"Cells",7} {"Ran",7} {"Skipped",8} {"Failed",7} {"Not run",8} {"Time",9}");
        foreach (var result in _results)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {result.Stage,-12} {result.Cells,7} {result.Ran,7} {result.Skipped,8} {result.Failed,7} {result.NotRun,8} {result.Duration.TotalSeconds,8:0.00}s");
        }

        var notReached = Plan.Stages.Where(s => _results.All(r => r.Stage != s.Name)).Select(s => s.Name).ToList();
        if (failed && notReached.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  not reached: {string.Join(", ", notReached)}");
        }

        foreach (var cell in _failures)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  failed: {cell.Message}");
        }

        var blocked = _notDone.Count - _failures.Count;
        if (Options.KeepGoing && blocked > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  not run because of a failure: {blocked} {Cells(blocked)}; the next run runs them and the failed ones, nothing else");
        }

        string status;
        int exitCode;
        if (cancelled)
        {
            status = "cancelled";
            var why = _cancelReason ?? failure?.Message ?? "cancelled";
            var timedOut = _cancelReason?.Contains("--timeout", StringComparison.Ordinal) == true;
            exitCode = timedOut ? 1 : cancelledExitCode;
            text.AppendLine(CultureInfo.InvariantCulture, $"  cancelled: {why}; the running cells' outputs were discarded and nothing of them recorded");
        }
        else if (failed)
        {
            status = "failed";
            exitCode = 1;
            if (failure is not null && _failures.All(f => f.Message != failure.Message))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  failed: {failure.Message}");
            }
        }
        else
        {
            status = "succeeded";
            exitCode = 0;
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  {status} in {_clock.Elapsed.TotalSeconds:0.00} s; run log {Layout.Relative(RunLogPath)}");
        _console.Line(text.ToString().TrimEnd());
        _console.Flush();
        var message = failure?.Message ?? _failures.FirstOrDefault()?.Message;
        Notify(o => o.OnRunFinished(new Observing.RunFinished(RunId, status, message, StartedAt, DateTimeOffset.UtcNow, _results)));
        File.Delete(Path.Combine(Layout.State, "running"));
        return exitCode;
    }
}
