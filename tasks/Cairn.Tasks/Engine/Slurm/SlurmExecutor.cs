using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cairn.Engine.Hosting;
using Cairn.Engine.Plan;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Slurm;

/// <summary>
/// Runs prepared cell attempts as one Slurm job array (<see cref="SlurmSettings.CellsPerTask"/> cells a task) and
/// waits for it, asking the queue at most once a second. A task that waits in the queue past the pending limit is
/// cancelled; a cancelled run cancels the job (<c>scancel</c>). It only runs: what the cells wrote is checked,
/// promoted and checkpointed by the coordinator (<see cref="Runs.CellExecutor"/>) as a local attempt's is.
/// </summary>
internal sealed class SlurmExecutor
{
    private readonly SlurmSettings _settings;
    private readonly WorkspaceLayout _layout;
    private readonly Action<string> _say;
    private readonly string _worker;
    private readonly string _dotnet;
    private int _jobs;

    private readonly string _runId;

    public SlurmExecutor(SlurmSettings settings, WorkspaceLayout layout, string runId, Action<string> say)
    {
        _settings = settings;
        _runId = runId;
        _layout = layout;
        _say = say;
        _worker = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(CellWorker).Assembly.Location)!, "..", "..", "tools", "worker", "Cairn.Worker.dll"));
        _dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
    }

    /// <summary>
    /// Refuses a run whose workspace the nodes do not see: a job writes a probe file into it, which must appear here.
    /// </summary>
    /// <exception cref="CairnUsageException">The worker is missing, Slurm cannot be used, or the probe file did not appear; the message says which and the fix.</exception>
    public void Probe(string runId, CancellationToken cancellation)
    {
        if (!File.Exists(_worker))
        {
            throw new CairnUsageException($"--executor=slurm: the cell worker {_worker} is missing; the Cairn.Cake package is incomplete: clear its folder under .build/cake/tools and run again.");
        }

        var folder = Directory.CreateDirectory(Path.Combine(_layout.State, "slurm")).FullName;
        var probe = Path.Combine(folder, $"probe-{runId}");
        var token = Guid.NewGuid().ToString("N");
        var clock = Stopwatch.StartNew();
        string? id = null;
        try
        {
            id = SlurmCommands.Submit([.. _settings.SbatchOptions(), "--job-name=cairn-probe", $"--output={Path.Combine(folder, "probe-%j.out")}", $"--wrap=printf %s {token} > '{probe}'"], null);
            var states = Wait(id, 1, cancellation, out var pending);
            if (pending is not null)
            {
                throw new CairnUsageException($"--executor=slurm: the probe job {id} waited in the queue for more than {Configuration.Durations.Format(_settings.PendingLimit)} ({pending}); check the partition (sinfo) or raise --slurm-pending-limit.");
            }

            var seen = File.Exists(probe) ? File.ReadAllText(probe) : null;
            if (seen != token)
            {
                var state = states.Values.FirstOrDefault().State ?? "gone from the queue";
                throw new CairnUsageException($"--executor=slurm: the probe job {id} ended {state} but its file {probe} {(seen is null ? "did not appear" : "holds something else")} here: the workspace {_layout.Root} is not on storage every node sees. Put the workspace (--workspace) and this repository on a file system mounted at the same path on the nodes (NFS, Lustre, …).");
            }

            _say(string.Create(CultureInfo.InvariantCulture, $"Slurm: the nodes see the workspace (probe job {id}, {clock.Elapsed.TotalSeconds:0.0} s)"));
        }
        catch (SlurmException e)
        {
            throw new CairnUsageException($"--executor=slurm: {e.Message}");
        }
        finally
        {
            File.Delete(probe);
            if (id is not null)
            {
                File.Delete(Path.Combine(folder, $"probe-{id}.out"));
            }
        }
    }

    /// <summary>Runs the attempts as one job array and waits for it; every attempt gets a result, however its task ended.</summary>
    public Dictionary<string, RemoteAttempt> Run(StagePlan stage, IReadOnlyList<PreparedAttempt> cells, string staging, CancellationToken cancellation)
    {
        var results = new Dictionary<string, RemoteAttempt>(StringComparer.Ordinal);
        if (cells.Count == 0)
        {
            return results;
        }

        var job = string.Create(CultureInfo.InvariantCulture, $"slurm.{Interlocked.Increment(ref _jobs)}");
        var folder = Directory.CreateDirectory(Path.Combine(staging, job)).FullName;
        // Slurm's own output of each task outlives the run's staging: a failure message points at it.
        var taskLogs = Directory.CreateDirectory(Path.Combine(_layout.Logs, "slurm", _runId, $"{stage.Name}.{job}")).FullName;
        var chunks = cells.Chunk(_settings.CellsPerTask).ToList();
        var workerCells = chunks.Select(chunk => (IReadOnlyList<WorkerCell>)chunk.Select(c => new WorkerCell(
            c.Label,
            c.Inputs,
            c.StagedOutputs,
            WorkerParameters.ToText(c.Parameters),
            Path.Combine(folder, c.Stem + ".log"),
            Path.Combine(folder, c.Stem + ".result.json"))).ToList()).ToList();
        var type = stage.Descriptor.TaskType;
        var manifest = new WorkerManifest(stage.Name, type.Assembly.Location, type.FullName!, stage.Definition.Timeout?.TotalSeconds, workerCells);
        var manifestPath = Path.Combine(folder, "manifest.json");
        AtomicFile.WriteAllText(manifestPath, JsonSerializer.Serialize(manifest, SlurmJsonContext.Default.WorkerManifest));
        var script = Path.Combine(folder, "job.sh");
        AtomicFile.WriteAllText(script, $"#!/bin/sh\nexec '{_dotnet}' '{_worker}' '{manifestPath}' \"$SLURM_ARRAY_TASK_ID\"\n");

        string id;
        try
        {
            id = SlurmCommands.Submit(
                [.. _settings.SbatchOptions(), $"--job-name=cairn-{stage.Name}", string.Create(CultureInfo.InvariantCulture, $"--array=0-{chunks.Count - 1}"), $"--output={Path.Combine(taskLogs, "%a.out")}", $"--chdir={_layout.Root}"],
                script);
        }
        catch (SlurmException e)
        {
            foreach (var cell in cells)
            {
                results[cell.Label] = new RemoteAttempt(StageOutcome.Failed(e.Message) with { Lost = true }, null, [], "not submitted");
            }

            return results;
        }

        _say(string.Create(CultureInfo.InvariantCulture, $"{stage.Name}: {cells.Count:N0} {(cells.Count == 1 ? "cell" : "cells")} submitted as Slurm job {id} (array 0-{chunks.Count - 1}, up to {_settings.CellsPerTask:N0} cells a task)"));
        var clock = Stopwatch.StartNew();
        var states = Wait(id, chunks.Count, cancellation, out var pendingProblem);
        var tally = states.Values.GroupBy(s => s.State).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count():N0} {g.Key}"));
        _say(string.Create(CultureInfo.InvariantCulture, $"{stage.Name}: Slurm job {id} ended after {clock.Elapsed.TotalSeconds:0.0} s: {string.Join(", ", tally)}"));
        for (var task = 0; task < chunks.Count; task++)
        {
            var (state, reason) = states.TryGetValue(task, out var known) ? known : ("gone from the queue", string.Empty);
            var where = string.Create(CultureInfo.InvariantCulture, $"Slurm job {id}_{task}");
            var taskLog = _layout.Relative(Path.Combine(taskLogs, string.Create(CultureInfo.InvariantCulture, $"{task}.out")));
            for (var i = 0; i < chunks[task].Length; i++)
            {
                var cell = chunks[task][i];
                var worker = workerCells[task][i];
                results[cell.Label] = Result(worker, state, reason, where, taskLog, pendingProblem, cancellation.IsCancellationRequested);
            }
        }

        return results;
    }

    private static RemoteAttempt Result(WorkerCell worker, string state, string reason, string where, string taskLog, string? pendingProblem, bool cancelled)
    {
        WorkerResult? result = null;
        if (File.Exists(worker.ResultPath))
        {
            try
            {
                result = JsonSerializer.Deserialize(File.ReadAllText(worker.ResultPath), SlurmJsonContext.Default.WorkerResult);
            }
            catch (JsonException)
            {
                result = null;
            }
        }

        var log = File.Exists(worker.LogPath) ? worker.LogPath : null;
        if (result is { Cancelled: true } && !cancelled)
        {
            // Slurm stopped the task (scancel, its time limit, a preemption): the worker was told to stop, not the run.
            return new RemoteAttempt(StageOutcome.Failed($"{where} on {result.Node} was stopped by Slurm ({state}) while the cell ran; see {taskLog}") with { Lost = true }, log, result.ConsoleLines, $"{where} on {result.Node}");
        }

        if (result is not null && !cancelled)
        {
            var outcome = new StageOutcome(result.Succeeded, result.Failure, null, result.Metrics)
            {
                ErrorCodes = result.ErrorCodes,
                Errors = result.Errors,
                TimedOut = result.TimedOut,
                Cancelled = result.Cancelled,
            };
            return new RemoteAttempt(outcome, log, result.ConsoleLines, $"{where} on {result.Node}");
        }

        if (cancelled)
        {
            return new RemoteAttempt(StageOutcome.Failed("cancelled") with { Cancelled = true }, log, [], where);
        }

        if (state == "PENDING" || (state == "CANCELLED" && pendingProblem is not null && log is null))
        {
            return new RemoteAttempt(StageOutcome.Failed($"{where} {pendingProblem ?? "never started"}; it was cancelled. Check the partition (sinfo, squeue) or raise --slurm-pending-limit"), log, [], where);
        }

        var why = reason is { Length: > 0 } and not "None" ? $" ({reason})" : string.Empty;
        return new RemoteAttempt(StageOutcome.Failed($"{where} ended {state}{why} before the cell finished; see {taskLog}") with { Lost = true }, log, [], where);
    }

    /// <summary>
    /// Waits until every task of the job has ended, asking once a second. Tasks still pending past the limit are
    /// cancelled (<paramref name="pendingProblem"/> says so); a cancelled run cancels the job and waits a little for it.
    /// </summary>
    private Dictionary<int, (string State, string Reason)> Wait(string id, int tasks, CancellationToken cancellation, out string? pendingProblem)
    {
        pendingProblem = null;
        var clock = Stopwatch.StartNew();
        var lastAnswer = Stopwatch.StartNew();
        var last = new Dictionary<int, (string State, string Reason)>();
        var cancelledAt = (TimeSpan?)null;
        while (true)
        {
            var states = SlurmCommands.States(id);
            if (states is not null)
            {
                lastAnswer.Restart();
                foreach (var (task, state) in states)
                {
                    last[task] = state;
                }

                // A task Slurm no longer lists has ended (purged after MinJobAge); its result file tells how.
                var running = Enumerable.Range(0, tasks).Count(t => states.TryGetValue(t, out var state) && !SlurmCommands.HasEnded(state.State));
                var single = states.TryGetValue(-1, out var only) && !SlurmCommands.HasEnded(only.State);
                if (running == 0 && !single)
                {
                    return last;
                }
            }
            else if (lastAnswer.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new SlurmException($"squeue has not answered for 2 minutes about job {id}; is slurmctld up? The job may still run: scancel {id}");
            }

            if (cancellation.IsCancellationRequested && cancelledAt is null)
            {
                cancelledAt = clock.Elapsed;
                _say($"cancelling Slurm job {id} (scancel)");
                TryCancel(id, pendingOnly: false);
            }
            else if (cancelledAt is { } at && clock.Elapsed - at > TimeSpan.FromSeconds(30))
            {
                return last;
            }

            if (pendingProblem is null && cancelledAt is null && clock.Elapsed > _settings.PendingLimit && last.Values.FirstOrDefault(s => s.State == "PENDING") is { State: not null } waiting)
            {
                pendingProblem = $"waited in the queue for more than {Configuration.Durations.Format(_settings.PendingLimit)} (reason: {waiting.Reason})";
                _say($"Slurm job {id}: tasks still pending after {Configuration.Durations.Format(_settings.PendingLimit)} ({waiting.Reason}); cancelling them");
                TryCancel(id, pendingOnly: true);
            }

            // Not the run's token: a cancelled run still waits (briefly) for the job it cancelled to end.
            Thread.Sleep(SlurmSettings.PollInterval);
        }
    }

    private void TryCancel(string id, bool pendingOnly)
    {
        try
        {
            SlurmCommands.Cancel(id, pendingOnly);
        }
        catch (SlurmException e)
        {
            _say(e.Message);
        }
    }
}
