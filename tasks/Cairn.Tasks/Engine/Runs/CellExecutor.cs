using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Collections.Concurrent;
using Cairn.Engine.Cache;
using Cairn.Engine.Checkpoints;
using Cairn.Engine.Configuration;
using Cairn.Engine.Governance;
using Cairn.Engine.Hosting;
using Cairn.Engine.Observing;
using Cairn.Engine.Plan;
using Cairn.Engine.Scan;
using Cairn.Engine.Workspace;
using Cairn.Hashing;
using Polly;
using Polly.Retry;

namespace Cairn.Engine.Runs;

/// <summary>
/// Runs one cell, retrying transient failures by the stage's policy (Polly). Each attempt writes into staging: a
/// partitioned stage's cell under names of its own, a whole-dataset stage's cell in a folder per attempt at its outputs'
/// final names; only after an attempt succeeded, wrote every declared output, and its
/// inputs proved unmoved (same stat identity, same glob matches) are the outputs promoted to their final paths, and
/// the <c>.ok</c> is written last. An input that moved while the task ran is an unstable one: the attempt's outputs
/// are discarded and the cell is retried with its inputs hashed afresh, so a checkpoint only ever records the bytes
/// its outputs were built from. Any failure of the engine's own (staging, promotion, the checkpoint, the logs) fails
/// the cell, naming its stage, partition and log. Knows nothing of which cells run when (<see cref="CellScheduler"/>).
/// </summary>
internal sealed class CellExecutor
{
    private readonly RunContext _run;
    private readonly OutputPromotion _promotion;
    private readonly Dictionary<string, ResiliencePipeline<AttemptResult>> _retryPipelines = new(StringComparer.Ordinal);
    private readonly CacheRestore? _restore;
    private readonly ConcurrentDictionary<string, int> _restored = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Stage, string? Partition), RestoredCell> _prefetched = new();
    private readonly Slurm.SlurmExecutor? _slurm;
    private readonly ConcurrentDictionary<(string Stage, string? Partition), (Slurm.PreparedAttempt Prepared, Slurm.RemoteAttempt Remote)> _submitted = new();
    private readonly ConcurrentDictionary<string, bool> _emptyStaging = new(StringComparer.Ordinal);

    public CellExecutor(RunContext run)
    {
        _run = run;
        var paths = new WorkspacePaths(run.Layout.Root);
        _promotion = new OutputPromotion(run.Layout, run.Hashes, run.Directories, paths, run.Selection);
        if (run.Cache is { } cache)
        {
            _restore = new CacheRestore(cache, run.Layout, paths, run.Output.Warning);
        }

        if (run.Slurm is { } slurm)
        {
            _slurm = new Slurm.SlurmExecutor(slurm, run.Layout, run.RunId, run.Output.Console.Line);
        }
    }

    /// <summary>
    /// Whether the stage's cells run on Slurm: with the Slurm executor, every stage but a fan-out landing stage (one cell
    /// whose task is given a per-partition path the worker does not know how to make; it runs here, on the coordinator).
    /// </summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(_slurm))]
    private bool OnSlurm(StagePlan stage) => _slurm is not null && stage.Definition.FanOut is null;

    /// <summary>Refuses a Slurm run whose workspace the nodes do not see (<see cref="Slurm.SlurmExecutor.Probe"/>); nothing for a local run.</summary>
    public void ProbeExecutor() => _slurm?.Probe(_run.RunId, _run.Cancellation);

    /// <summary>
    /// Before any cell of the stage runs: restores from the shared cache what it has (every stale cell looked up at
    /// once, the hits' outputs downloaded and verified into staging), then, with the Slurm executor, runs the first
    /// attempt of every other cell decided to run as one job array. <see cref="Execute"/> is then called for each cell:
    /// it promotes and checkpoints a restored cell's outputs, or checks, promotes and checkpoints what its cell's attempt
    /// wrote, exactly as after a local attempt (a retry on Slurm is a job of its own).
    /// </summary>
    public void Submit(StagePlan stage, IReadOnlyList<CellDecision> decisions)
    {
        if (_restore is not null)
        {
            foreach (var restored in _restore.Prefetch(stage, decisions, cell => StagedPaths(stage, cell, "cache"), _run.Cancellation))
            {
                _prefetched[(stage.Name, restored.Partition)] = restored;
            }
        }

        if (!OnSlurm(stage))
        {
            return;
        }

        var prepared = decisions
            .Where(d => d.Decision.Run && d.Problem is null && d.MissingInputs.Count == 0 && !_prefetched.ContainsKey((stage.Name, d.Cell.Partition)))
            .Select(d => (Decision: d, Prepared: Prepare(stage, d, 1)))
            .ToList();
        if (prepared.Count == 0)
        {
            return;
        }

        var remote = _slurm.Run(stage, prepared.Select(p => p.Prepared).ToList(), StagingOf(stage), _run.Cancellation);
        foreach (var (decision, attempt) in prepared)
        {
            _submitted[(stage.Name, decision.Cell.Partition)] = (attempt, remote[attempt.Label]);
        }
    }

    /// <summary>Removes what the stage's submitted attempts and restores staged and no cell took (a fail-fast stop, a cancelled run).</summary>
    public void DiscardSubmitted(StagePlan stage)
    {
        foreach (var key in _prefetched.Keys.Where(k => k.Stage == stage.Name).ToList())
        {
            if (_prefetched.TryRemove(key, out var left))
            {
                OutputPromotion.DeleteStaged(left.StagedOutputs.Values);
            }
        }

        foreach (var key in _submitted.Keys.Where(k => k.Stage == stage.Name).ToList())
        {
            if (_submitted.TryRemove(key, out var left))
            {
                OutputPromotion.DeleteStaged(left.Prepared.StagedOutputs.Values);
            }
        }
    }

    /// <summary>How many cells of the stage were restored from the shared cache in this run (they count as ran too).</summary>
    public int RestoredIn(string stage) => _restored.GetValueOrDefault(stage);

    /// <returns>The metrics the cell's task reported.</returns>
    /// <exception cref="StageFailedException">Every attempt failed, the last one failed with a cause that is not transient, or the engine failed in the cell's work.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled while the cell ran; nothing of it was recorded.</exception>
    public IReadOnlyDictionary<string, double> Execute(StagePlan stage, CellDecision decision)
    {
        var cell = decision.Cell;
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var logPath = _run.Layout.CellLog(stage.Name, cell.Partition);
        var attempt = 0;
        AttemptResult? last = null;
        // The time its task ran, over every attempt; the rest of the cell's time is Cairn's own (the run log keeps both).
        var taskTime = TimeSpan.Zero;
        try
        {
            if (_prefetched.TryRemove((stage.Name, cell.Partition), out var restored))
            {
                return Restore(stage, decision, restored, started, clock);
            }

            var result = RetryPipeline(stage).Execute(
                token =>
                {
                    var current = last is null ? decision : last.Moved.Count > 0 || last.Decision.Problem is not null ? Rescan(stage, last) : last.Decision;
                    last = Attempt(stage, current, ++attempt, token);
                    taskTime += last.TaskTime;
                    return last;
                },
                _run.Cancellation);
            var outcome = result.Outcome;
            if (!outcome.Succeeded)
            {
                OutputPromotion.DeleteStaged(result.StagedOutputs.Values);
                _run.Observers.Notify(o => o.OnCellFinished(new CellFinished(_run.RunId, stage.Name, cell.Partition, result.Attempt, false, outcome.Failure, decision.Decision.Reason, decision.Fingerprint, started, DateTimeOffset.UtcNow, outcome.Metrics) { ContractVersion = _run.Contracts?.Of(stage.Name), Held = outcome.Held is not null, TaskTime = taskTime }));
                if (outcome.Cancelled)
                {
                    throw new OperationCanceledException(RunOutput.CellCancelled(cell.Label), _run.Cancellation);
                }

                if (outcome.Held is { } held)
                {
                    throw new CellHeldException($"{cell.Label}: {held}");
                }

                var failure = result.Moved.Count > 0 ? RunOutput.InputsKeptChanging(result.MovedLogical) : outcome.Failure;
                var message = RunOutput.StageFailed(stage.Name, cell.PartitionLabel, result.Attempt, failure, _run.Layout.Relative(logPath));
                _run.Output.CellFailed(message);
                throw outcome.Exception is null ? new StageFailedException(message) : new StageFailedException(message, outcome.Exception);
            }

            var ran = result.Decision;
            var recorded = _promotion.Promote(stage, ran, result.StagedOutputs);
            if (result.Log?.HeldLines() is { } lines && _run.StageLogs is { } stageLogs && cell.Partition is not null)
            {
                // A log of its own from an earlier run would be taken for this run's (StageLogs.ReadCell): it goes first.
                // The lines are written before the checkpoint, so a log that cannot be written fails the cell, as before.
                stageLogs.RemoveEarlierOwnLog(stage.Name, cell.Partition);
                stageLogs.Append(stage.Name, cell.Partition, lines);
            }

            var checkpoint = Record(stage, ran, recorded, outcome.Metrics, result.Attempt, started, clock, restoredFrom: null, outcome.PassedByReview);
            // A cell that passed its gate by a person's approval here is not uploaded: another workspace restoring it
            // would pass the gate without any approval of its own (README: Shared cache).
            if (CacheRestore.Cacheable(stage) && outcome.PassedByReview is null)
            {
                _run.Uploads?.Enqueue(checkpoint);
            }
            _run.Observers.Notify(o => o.OnCellFinished(new CellFinished(_run.RunId, stage.Name, cell.Partition, result.Attempt, true, null, decision.Decision.Reason, ran.Fingerprint, started, checkpoint.FinishedAt, outcome.Metrics) { ContractVersion = checkpoint.ContractVersion, TaskTime = taskTime }));
            return outcome.Metrics;
        }
        catch (Exception e) when (e is not (OperationCanceledException or StageFailedException or CellHeldException))
        {
            throw EngineFailed(stage, decision, Math.Max(attempt, 1), started, last, logPath, e, taskTime);
        }
    }

    /// <summary>
    /// The cell's result from the shared cache (<see cref="Submit"/> staged and verified it): promoted exactly as an
    /// attempt's outputs are, and checkpointed noting where it came from.
    /// </summary>
    /// <returns>The metrics the cell reported where it ran.</returns>
    private IReadOnlyDictionary<string, double> Restore(StagePlan stage, CellDecision decision, RestoredCell restored, DateTimeOffset started, Stopwatch clock)
    {
        var cell = decision.Cell;
        _run.Observers.Notify(o => o.OnCellStarted(_run.RunId, stage.Name, cell.Partition));
        var recorded = _promotion.Promote(stage, decision, restored.StagedOutputs);
        if (!stage.Definition.Partitioned)
        {
            // A whole-dataset cell's outputs were staged in a folder of their own, left empty by the promotion.
            OutputPromotion.DeleteStaged(Path.Combine(StagingOf(stage), "all.cache"));
        }

        var checkpoint = Record(stage, decision, recorded, restored.Metrics, 1, started, clock, RunOutput.RestoredFrom(_run.Cache!.Settings.Display), passedByReview: null);
        _restored.AddOrUpdate(stage.Name, 1, (_, n) => n + 1);
        _run.Output.Console.Detail($"{cell.Label}: {checkpoint.Restored}");
        _run.Observers.Notify(o => o.OnCellFinished(new CellFinished(_run.RunId, stage.Name, cell.Partition, 1, true, null, decision.Decision.Reason, decision.Fingerprint, started, checkpoint.FinishedAt, restored.Metrics) { ContractVersion = checkpoint.ContractVersion, RestoredFrom = _run.Cache.Settings.Display }));
        return restored.Metrics;
    }

    /// <summary>Writes the cell's <c>.ok</c>, last, once its outputs are in place.</summary>
    private Checkpoint Record(StagePlan stage, CellDecision ran, List<CheckpointFile> recorded, IReadOnlyDictionary<string, double> metrics, int attempts, DateTimeOffset started, Stopwatch clock, string? restoredFrom, string? passedByReview)
    {
        var checkpoint = new Checkpoint
        {
            Stage = stage.Name,
            Partition = ran.Cell.Partition,
            Fingerprint = ran.Fingerprint,
            HashAlgorithm = ContentHasher.Algorithm,
            CodeVersion = stage.Descriptor.CodeVersion,
            Inputs = ran.Cell.Inputs.Select((input, i) => new CheckpointFile(input.Property, input.LogicalPath, ran.InputHashes[i])).ToList(),
            Outputs = recorded,
            Parameters = ran.Cell.Parameters,
            Metrics = metrics,
            Attempts = attempts,
            RunId = _run.RunId,
            Environment = _run.Environment,
            StartedAt = started,
            FinishedAt = DateTimeOffset.UtcNow,
            DurationMs = Math.Round(clock.Elapsed.TotalMilliseconds, 3),
            ToolVersion = _run.ToolVersion,
            Restored = restoredFrom,
            PassedByReview = passedByReview,
            ContractVersion = _run.Contracts?.Of(stage.Name),
        };
        _run.Checkpoints.Write(checkpoint);
        return checkpoint;
    }

    /// <summary>By default only I/O errors and timeouts are transient (and an input that moved); a stage's policy may add error codes (e.g. non-convergence).</summary>
    private static bool IsTransient(StageOutcome outcome, RetryPolicy policy) =>
        !outcome.Succeeded && !outcome.Cancelled
        && (outcome.TimedOut
            || outcome.Lost
            || outcome.Exception is TimeoutException
            || (outcome.Exception is IOException and not FileNotFoundException and not DirectoryNotFoundException and not NotAFileException)
            || outcome.ErrorCodes.Any(policy.OnCodes.Contains));

    /// <summary>A failure with only the codes the stage's gate names (<c>review_on:</c>): a person may let it pass.</summary>
    private static bool StoppedAtGate(StagePlan stage, StageOutcome outcome) =>
        !outcome.Succeeded && !outcome.Cancelled && !outcome.TimedOut && outcome.Exception is null
        && stage.Definition.ReviewOn.Count > 0 && outcome.ErrorCodes.Count > 0 && outcome.ErrorCodes.All(stage.Definition.ReviewOn.Contains);

    /// <summary>
    /// Files the cell's review (once per fingerprint), and lets the attempt succeed when that review is approved: the
    /// same inputs, parameters and code that a person looked at. Anything else still fails, saying how to go on.
    /// </summary>
    private StageOutcome ThroughGate(CellDecision decision, StageOutcome outcome, StageBuildEngine engine)
    {
        if (_run.Reviews is not { } reviews)
        {
            return outcome;
        }

        var cell = decision.Cell;
        var review = reviews.Request(cell.Stage, cell.Partition, decision.Fingerprint, _run.RunId, outcome.Errors, DateTimeOffset.UtcNow, out var filed);
        if (filed)
        {
            // The ledger and the notifiers hear of it as observers: a person is told a decision waits.
            _run.Observers.Notify(o => o.OnReviewRequested(new ReviewRequested(_run.RunId, review.Id, cell.Stage, cell.Partition, review.Fingerprint, review.Breaches, review.RequestedAt)));
        }

        switch (review.Status)
        {
            case ReviewStatus.Approved:
                var passed = RunOutput.GatePassed(cell.Label, review);
                _run.Output.Console.Line(passed);
                _run.Ledger?.Append("gate_passed", new JsonObject
                {
                    ["run_id"] = _run.RunId,
                    ["review"] = review.Id,
                    ["stage"] = cell.Stage,
                    ["partition"] = cell.Partition,
                    ["fingerprint"] = review.Fingerprint,
                    ["approved_by"] = review.DecidedBy,
                });
                engine.Note(passed);
                return outcome with { Succeeded = true, Failure = null, PassedByReview = review.Id };
            case ReviewStatus.Rejected:
                return outcome with { Failure = RunOutput.GateRejected(outcome.Failure, review) };
            default:
                return outcome with { Failure = RunOutput.GatePending(outcome.Failure, review) };
        }
    }

    /// <summary>A failure whose task proposed a change to one of its input files (schema drift): a person may accept it.</summary>
    private static bool Drifted(StageOutcome outcome) =>
        !outcome.Succeeded && !outcome.Cancelled && !outcome.TimedOut && outcome.Exception is null && outcome.Amendment is not null;

    /// <summary>
    /// Files the drift's review (once per fingerprint: the same data against the same contract) with the amended
    /// file, and holds the cell: the cells that read from it in its partition are held too, the other partitions go on.
    /// </summary>
    private StageOutcome HoldForDrift(CellDecision decision, StageOutcome outcome, StageBuildEngine engine)
    {
        var cell = decision.Cell;
        var amendment = outcome.Amendment!;
        var index = cell.Inputs.ToList().FindIndex(i => i.Property == amendment.Property);
        if (_run.Reviews is not { } reviews || index < 0 || cell.Inputs.Count(i => i.Property == amendment.Property) != 1)
        {
            // Only a single file the cell reads can be amended; anything else fails as the task said.
            return outcome;
        }

        var input = cell.Inputs[index];
        var drift = new DriftAmendment(amendment.Property, input.LogicalPath, decision.InputHashes[index], amendment.Text);
        var review = reviews.Request(cell.Stage, cell.Partition, decision.Fingerprint, _run.RunId, amendment.Changes, DateTimeOffset.UtcNow, out var filed, drift);
        if (filed)
        {
            _run.Observers.Notify(o => o.OnReviewRequested(new ReviewRequested(_run.RunId, review.Id, cell.Stage, cell.Partition, review.Fingerprint, review.Breaches, review.RequestedAt)));
        }

        var held = review.Status == ReviewStatus.Approved
            ? $"schema drift {string.Join(", ", review.Breaches)} was accepted by review {review.Id}, but {input.LogicalPath} does not hold the accepted change now (it was changed since); accept the drift again by restoring the change, or change the data"
            : DriftHolds.Text(review, _run.Output.PartitionKey);
        engine.Note(held);
        return outcome with { Held = held };
    }

    /// <summary>The deepest folder holding every one of the folders.</summary>
    private static string CommonFolder(IEnumerable<string> folders)
    {
        string? common = null;
        foreach (var folder in folders)
        {
            common ??= folder;
            while (!string.Equals(folder, common, StringComparison.Ordinal) && !folder.StartsWith(common + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                common = Path.GetDirectoryName(common)!;
            }
        }

        return common ?? string.Empty;
    }

    private static object Vary(object value, long offset) => value is int i ? checked((int)(i + offset)) : (object)checked((long)value + offset);

    /// <summary>
    /// A failure of the engine's own while it ran the cell (staging, promotion, the checkpoint, a log): the staged
    /// outputs go, the cell's log says what happened, and the cell fails like any other, naming its stage, partition
    /// and log, with the exception kept as the inner one. <paramref name="taskTime"/> is what its tasks ran before it.
    /// </summary>
    private StageFailedException EngineFailed(StagePlan stage, CellDecision decision, int attempt, DateTimeOffset started, AttemptResult? last, string logPath, Exception e, TimeSpan taskTime)
    {
        var cell = decision.Cell;
        var failure = e is IOException or UnauthorizedAccessException ? e.Message : $"{e.GetType().Name}: {e.Message}";
        var message = RunOutput.StageFailed(stage.Name, cell.PartitionLabel, attempt, failure, _run.Layout.Relative(logPath));
        try
        {
            if (last is not null)
            {
                OutputPromotion.DeleteStaged(last.StagedOutputs.Values);
                // The attempt's lines, held for the stage's log, go to the file the failure names.
                last.Log?.Spill();
                last.Log?.Dispose();
            }

            _run.Directories.Ensure(Path.GetDirectoryName(logPath)!);
            File.AppendAllText(logPath, $"{RunOutput.EngineFailedNote(e)}{Environment.NewLine}");
        }
        catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
        {
            // The failure being reported is the one that matters (often a full disk, which also stops this).
            _run.Output.Console.Detail($"{cell.Label}: could not clean up after the failure: {cleanup.Message}");
        }

        _run.Observers.Notify(o => o.OnCellFinished(new CellFinished(_run.RunId, stage.Name, cell.Partition, attempt, false, failure, decision.Decision.Reason, decision.Fingerprint, started, DateTimeOffset.UtcNow, new Dictionary<string, double>()) { TaskTime = taskTime }));
        _run.Output.CellFailed(message);
        return new StageFailedException(message, e);
    }

    /// <summary>
    /// The cell scanned afresh for a retry: the inputs that moved (or could not be read) are hashed again, a glob is
    /// matched again, and the fingerprint follows; so the retry's checkpoint records what the retry read.
    /// </summary>
    private CellDecision Rescan(StagePlan stage, AttemptResult last)
    {
        foreach (var path in last.Moved)
        {
            _run.Hashes.Forget(path);
        }

        if (last.Decision.Problem is UnreadableFileException { FilePath: { } unreadable })
        {
            _run.Hashes.Forget(unreadable);
        }

        return _run.Scanner?.ScanCell(stage, last.Decision.Cell.Partition) ?? last.Decision;
    }

    private AttemptResult Attempt(StagePlan stage, CellDecision decision, int attempt, CancellationToken cancellation)
    {
        var cell = decision.Cell;
        var policy = stage.Definition.Retry;
        var logPath = _run.Layout.CellLog(stage.Name, cell.Partition);
        Action<string> ensureFolder = folder => _run.Directories.Ensure(folder);
        var noOutputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (decision.Problem is not null || decision.MissingInputs.Count > 0)
        {
            // The scan could not read a file of the cell, or a retry's scan found an input gone: nothing to run.
            var problem = decision.Problem is not null ? decision.Decision.Reason : RunOutput.InputRemoved(decision.MissingInputs.Select(i => i.LogicalPath));
            using (var log = new StageBuildEngine(new CellLog(logPath, ownFile: true, append: attempt > 1, ensureFolder), _run.Output.Console, cell.Label))
            {
                log.Note(RunOutput.AttemptNote(_run.RunId, cell.Label, decision.Decision.Reason, attempt, policy.Attempts));
                log.Note(RunOutput.AttemptEndNote(false, TimeSpan.Zero, problem));
            }

            var failed = StageOutcome.Failed(problem, decision.Problem);
            return new AttemptResult(decision, failed, noOutputs, IsTransient(failed, policy), attempt, cell.Label, logPath, null);
        }

        Slurm.RemoteAttempt? remote = null;
        Slurm.PreparedAttempt prepared;
        if (attempt == 1 && _submitted.TryRemove((stage.Name, cell.Partition), out var submitted))
        {
            (prepared, remote) = submitted;
        }
        else
        {
            prepared = Prepare(stage, decision, attempt);
        }

        var stagedOutputs = prepared.StagedOutputs;
        var nextVariation = prepared.NextVariation;
        StageOutcome outcome;
        var moved = new List<(string Full, string Logical)>();
        var taskTime = TimeSpan.Zero;
        // A partitioned cell's first attempt holds its lines for the stage's log until it needs a file of its own; a
        // retry adds to the file its failed attempt wrote; a whole-dataset cell, one per stage, keeps its own file.
        var cellLog = new CellLog(logPath, ownFile: attempt > 1 || cell.Partition is null || _run.StageLogs is null || OnSlurm(stage), append: attempt > 1, ensureFolder);
        using (var engine = new StageBuildEngine(cellLog, _run.Output.Console, cell.Label, _run.Layout.Relative(logPath)))
        {
            engine.Note(RunOutput.AttemptNote(_run.RunId, cell.Label, decision.Decision.Reason, attempt, policy.Attempts));
            foreach (var input in cell.Inputs)
            {
                engine.Note(RunOutput.InputNote(input.Property, input.LogicalPath));
            }

            if (attempt == 1)
            {
                _run.Observers.Notify(o => o.OnCellStarted(_run.RunId, stage.Name, cell.Partition));
            }

            var clock = Stopwatch.StartNew();
            if (OnSlurm(stage))
            {
                // A retry runs as a job of its own; the first attempt ran in the stage's job array (Submit).
                remote ??= _slurm.Run(stage, [prepared], StagingOf(stage), cancellation)[prepared.Label];
                engine.Note($"ran as {remote.Where}");
                if (remote.WorkerLog is { } workerLog)
                {
                    engine.Relay(File.ReadLines(workerLog));
                    File.Delete(workerLog);
                }

                foreach (var line in remote.ConsoleLines)
                {
                    _run.Output.Console.Line(line);
                }

                outcome = remote.Outcome;
                // The coordinator's view: from the attempt's start to the job's result, the job's queueing included.
                taskTime = clock.Elapsed;
            }
            else
            {
                var taskOutputs = stagedOutputs;
                if (stage.Definition.FanOut is { } fanOut)
                {
                    // The task writes one file per partition into the staged folder, replacing {partition} in the path it is given.
                    taskOutputs = new Dictionary<string, string>(stagedOutputs, StringComparer.Ordinal) { [fanOut.Property] = fanOut.TaskPath(stagedOutputs[fanOut.Property]) };
                }

                var taskStarted = clock.Elapsed;
                outcome = StageHost.Run(stage.Descriptor, prepared.Inputs, taskOutputs, prepared.Parameters, engine, stage.Definition.Timeout, cancellation);
                taskTime = clock.Elapsed - taskStarted;
            }

            if (!outcome.Succeeded && !outcome.Cancelled && _run.ParameterOverrides.Where(o => o.Stage == stage.Name).ToList() is { Count: > 0 } set)
            {
                // The task's fix names the pipeline's configuration; for a value this run's --set gave, the fix is there.
                outcome = outcome with { Failure = RunOutput.SetOnCommandLine(outcome.Failure, set) };
            }

            if (Drifted(outcome))
            {
                outcome = HoldForDrift(decision, outcome, engine);
            }
            else if (StoppedAtGate(stage, outcome))
            {
                outcome = ThroughGate(decision, outcome, engine);
            }

            if (outcome.Succeeded && stage.Definition.FanOut is { } selecting && !_run.Selection.IsAll)
            {
                KeepToSelection(stage.Name, stagedOutputs[selecting.Property], selecting, engine);
            }

            if (outcome.Succeeded)
            {
                foreach (var output in cell.Outputs)
                {
                    var staged = stagedOutputs[output.Property];
                    var exists = stage.DirectoryOutputs.Contains(output.Property) ? Directory.Exists(staged) : File.Exists(staged);
                    if (!exists)
                    {
                        outcome = StageOutcome.Failed(RunOutput.OutputNotWritten(output.Property, output.LogicalPath));
                        break;
                    }
                }
            }

            if (outcome.Succeeded && stage.Definition.FanOut is { } landed
                && Partitions.FanOutCheck.Check(stagedOutputs[landed.Property], landed, mayBeEmpty: !_run.Selection.IsAll).Problems is { Count: > 0 } problems)
            {
                outcome = StageOutcome.Failed(RunOutput.FanOutRefused(stage.Name, landed, problems));
            }

            if (outcome.Succeeded)
            {
                moved = MovedInputs(stage, decision);
                if (moved.Count > 0)
                {
                    outcome = StageOutcome.Failed(RunOutput.InputsMoved(moved.Select(m => m.Logical)));
                }
            }

            engine.Note(RunOutput.AttemptEndNote(outcome.Succeeded, clock.Elapsed, outcome.Failure));
            if (!outcome.Succeeded)
            {
                // A failed attempt has a log of its own: the failure names it, and a retry adds to it.
                cellLog.Spill();
            }
        }

        if (!outcome.Succeeded)
        {
            OutputPromotion.DeleteStaged(stagedOutputs.Values);
        }

        return new AttemptResult(decision, outcome, stagedOutputs, moved.Count > 0 || IsTransient(outcome, policy), attempt, cell.Label, logPath, nextVariation)
        {
            Log = cellLog,
            TaskTime = taskTime,
            Moved = moved.Select(m => m.Full).ToList(),
            MovedLogical = moved.Select(m => m.Logical).ToList(),
        };
    }

    /// <summary>
    /// Narrows what a stage that fans out wrote to the run's selection: a partition outside it is not landed (the one
    /// landed before stays as it was, <see cref="OutputPromotion"/>), and saying so is one line. A selection the
    /// sources hold no rows of lands nothing, which is no failure: the folder is made empty.
    /// </summary>
    private void KeepToSelection(string stage, string staged, Partitions.FanOutLayout layout, StageBuildEngine engine)
    {
        Directory.CreateDirectory(staged);
        var outside = Directory.EnumerateDirectories(staged)
            .Select(d => (Folder: d, Key: Path.GetFileName(d)))
            .Where(d => d.Key.StartsWith(layout.Scheme.FolderPrefix, StringComparison.Ordinal) && layout.Scheme.IsKey(d.Key[layout.Scheme.FolderPrefix.Length..]) && !_run.Selection.Contains(d.Key[layout.Scheme.FolderPrefix.Length..]))
            .OrderBy(d => d.Key, StringComparer.Ordinal)
            .ToList();
        if (outside.Count == 0)
        {
            return;
        }

        foreach (var (folder, _) in outside)
        {
            Directory.Delete(folder, recursive: true);
        }

        var line = RunOutput.LandedOutsideSelection(stage, layout.Folder, outside.Select(d => d.Key).ToList(), _run.Selection);
        engine.Note(line);
        _run.Output.Console.Line(line);
    }

    /// <summary>The stage's staging folder in this run, made once.</summary>
    private string StagingOf(StagePlan stage) => _run.Directories.Ensure(Path.Combine(_run.Layout.Staging, _run.RunId, stage.Name));

    /// <summary>
    /// Whether the stage's staging folder held nothing when this run first looked (once per stage): then nothing is at
    /// a name handed out in it, each being the run's own and given once (a cell's partition, attempt and output), and
    /// an attempt need not remove anything before it writes there. Answered false (remove first) by a folder that held
    /// anything, or when a cell's file was already there as another cell looked.
    /// </summary>
    private bool HeldNothing(string staging) => _emptyStaging.GetOrAdd(staging, static folder => !Directory.EnumerateFileSystemEntries(folder).Any());

    /// <summary>
    /// Makes an attempt ready to run, here or on a node: its staged outputs (fresh, or a copy of an accumulating
    /// output), its inputs by property and its parameters (varied by the retry policy).
    /// </summary>
    private Slurm.PreparedAttempt Prepare(StagePlan stage, CellDecision decision, int attempt)
    {
        var cell = decision.Cell;
        var policy = stage.Definition.Retry;
        var label = string.Create(CultureInfo.InvariantCulture, $"{attempt}");
        var stagedOutputs = StagedPaths(stage, cell, label);
        foreach (var output in cell.Outputs.Where(o => stage.AccumulatingOutputs.Contains(o.Property) && File.Exists(o.FullPath)))
        {
            File.Copy(output.FullPath, stagedOutputs[output.Property]);
        }

        var parameters = new Dictionary<string, object>(cell.ParameterValues, StringComparer.Ordinal);
        string? nextVariation = null;
        if (policy.VaryParameter is { } vary && parameters.TryGetValue(vary, out var baseValue))
        {
            parameters[vary] = Vary(baseValue, (attempt - 1) * policy.VaryStep);
            if (attempt < policy.Attempts)
            {
                nextVariation = string.Create(CultureInfo.InvariantCulture, $"{Vary(baseValue, attempt * policy.VaryStep)}");
            }
        }

        var inputs = cell.Inputs.GroupBy(i => i.Property).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(i => i.FullPath).ToList(), StringComparer.Ordinal);
        foreach (var property in stage.Descriptor.Inputs.Where(p => p.Kind == Model.StagePropertyKind.InputList && stage.Definition.Inputs.ContainsKey(p.Name) && !inputs.ContainsKey(p.Name)))
        {
            inputs[property.Name] = [];
        }

        return new Slurm.PreparedAttempt(cell.Label, $"{cell.Partition ?? "all"}.{label}", inputs, stagedOutputs, parameters, nextVariation);
    }

    /// <summary>
    /// Where the cell's outputs are staged for an attempt or a restore (<paramref name="label"/>: the attempt's number,
    /// or <c>cache</c>), by property, with nothing left there from before and the folders they go in made.
    /// </summary>
    private Dictionary<string, string> StagedPaths(StagePlan stage, CellBinding cell, string label)
    {
        // A partitioned stage's cells share one staging folder per stage and run, made once, their outputs named in it by
        // partition, attempt and property: making and removing thousands of folders costs more than the cells' own work.
        // A whole-dataset stage's one cell gets a folder per attempt holding each output at its path below the outputs'
        // common folder: the stage sees its outputs' final names and relative places, so a link from one output to
        // another (a report to its chart) is the link the promoted files need.
        var staging = StagingOf(stage);
        var fresh = HeldNothing(staging);
        var prefix = $"{cell.Partition ?? "all"}.{label}.";
        var common = CommonFolder(cell.Outputs.Select(o => Path.GetDirectoryName(o.FullPath)!));
        var stagedOutputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var output in cell.Outputs)
        {
            var staged = stage.Definition.Partitioned
                ? Path.Combine(staging, prefix + output.Property + "." + Path.GetFileName(output.FullPath))
                : Path.Combine(staging, prefix.TrimEnd('.'), Path.GetRelativePath(common, output.FullPath));
            _run.Directories.Ensure(Path.GetDirectoryName(staged)!);
            if (!fresh)
            {
                OutputPromotion.DeleteStaged(staged);
            }

            stagedOutputs[output.Property] = staged;
        }

        return stagedOutputs;
    }

    /// <summary>
    /// The inputs that moved while the task ran: a file whose stat identity is not the one it had when it was hashed
    /// (or that was re-read to a different hash), and a file a glob of the cell now matches or no longer does.
    /// </summary>
    private List<(string Full, string Logical)> MovedInputs(StagePlan stage, CellDecision decision)
    {
        var cell = decision.Cell;
        var moved = new List<(string Full, string Logical)>();

        // A stat per input, each independent of the others: a whole-dataset cell's are spread over every core.
        var unmoved = new bool[cell.Inputs.Count];
        FileHashes.ForEachFile(unmoved.Length, i => unmoved[i] = i < decision.InputReadings.Count
            ? _run.Hashes.Unmoved(cell.Inputs[i].FullPath, decision.InputReadings[i])
            : string.Equals(_run.Hashes.Fresh(cell.Inputs[i].FullPath), decision.InputHashes[i], StringComparison.Ordinal));
        for (var i = 0; i < unmoved.Length; i++)
        {
            if (!unmoved[i])
            {
                moved.Add((cell.Inputs[i].FullPath, cell.Inputs[i].LogicalPath));
            }
        }

        // Bound again only where a glob may match other files now: a whole-dataset cell over 80,000 expanded paths
        // would rebuild the same list and compare it whole after every run of the cell.
        if (stage.InputsMatchFiles && _run.Scanner?.Bind(stage, cell.Partition) is { } now)
        {
            var then = cell.Inputs.Select(i => (i.Property, i.LogicalPath)).ToHashSet();
            var bound = now.Inputs.Select(i => (i.Property, i.LogicalPath)).ToHashSet();
            moved.AddRange(now.Inputs.Where(i => !then.Contains((i.Property, i.LogicalPath))).Select(i => (i.FullPath, i.LogicalPath + " (added)")));
            var gone = cell.Inputs.Where(i => !bound.Contains((i.Property, i.LogicalPath)) && moved.All(m => m.Full != i.FullPath)).ToList();
            moved.AddRange(gone.Select(i => (i.FullPath, i.LogicalPath + " (removed)")));
        }

        return moved;
    }

    private ResiliencePipeline<AttemptResult> RetryPipeline(StagePlan stage)
    {
        lock (_retryPipelines)
        {
            if (_retryPipelines.TryGetValue(stage.Name, out var existing))
            {
                return existing;
            }

            var policy = stage.Definition.Retry;
            var pipeline = policy.Attempts <= 1
                ? ResiliencePipeline<AttemptResult>.Empty
                : new ResiliencePipelineBuilder<AttemptResult>()
                    .AddRetry(new RetryStrategyOptions<AttemptResult>
                    {
                        MaxRetryAttempts = policy.Attempts - 1,
                        Delay = policy.Delay,
                        MaxDelay = policy.MaxDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = policy.Jitter,
                        ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { Transient: true }),
                        OnRetry = args =>
                        {
                            var failed = args.Outcome.Result!;
                            var line = _run.Output.Retrying(failed.Label, failed.Attempt + 1, policy.Attempts, args.RetryDelay, failed.Outcome.Failure, policy.VaryParameter, failed.NextVariation);
                            File.AppendAllText(failed.LogPath, line + Environment.NewLine);
                            return default;
                        },
                    })
                    .Build();
            _retryPipelines[stage.Name] = pipeline;
            return pipeline;
        }
    }
}
