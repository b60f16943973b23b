using System.Diagnostics;
using System.Globalization;
using Cairn.Engine.Checkpoints;
using Cairn.Engine.Configuration;
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
/// Runs one cell, retrying transient failures by the stage's policy (Polly). Each attempt writes into the stage's
/// staging folder under names of its own; only after an attempt succeeded, wrote every declared output, and its
/// inputs proved unchanged are the outputs promoted to their final paths, and the <c>.ok</c> is written last.
/// Knows nothing of which cells run when (<see cref="CellScheduler"/>).
/// </summary>
internal sealed class CellExecutor
{
    private readonly RunContext _run;
    private readonly OutputPromotion _promotion;
    private readonly Dictionary<string, ResiliencePipeline<AttemptResult>> _retryPipelines = new(StringComparer.Ordinal);

    public CellExecutor(RunContext run)
    {
        _run = run;
        _promotion = new OutputPromotion(run.Layout, run.Hashes, run.Directories, new WorkspacePaths(run.Layout.Root));
    }

    /// <returns>The metrics the cell's task reported.</returns>
    /// <exception cref="StageFailedException">Every attempt failed, or the last one failed with a cause that is not transient.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled while the cell ran; nothing of it was recorded.</exception>
    public IReadOnlyDictionary<string, double> Execute(StagePlan stage, CellDecision decision)
    {
        var cell = decision.Cell;
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var attempt = 0;
        var result = RetryPipeline(stage).Execute(token => Attempt(stage, decision, ++attempt, token), _run.Cancellation);
        var outcome = result.Outcome;
        var logPath = _run.Layout.CellLog(stage.Name, cell.Partition);
        if (!outcome.Succeeded)
        {
            OutputPromotion.DeleteStaged(result.StagedOutputs.Values);
            _run.Observers.Notify(o => o.OnCellFinished(new CellFinished(_run.RunId, stage.Name, cell.Partition, result.Attempt, false, outcome.Failure, decision.Decision.Reason, decision.Fingerprint, started, DateTimeOffset.UtcNow, outcome.Metrics)));
            if (outcome.Cancelled)
            {
                throw new OperationCanceledException(RunOutput.CellCancelled(cell.Label), _run.Cancellation);
            }

            var message = RunOutput.StageFailed(stage.Name, cell.Partition, result.Attempt, outcome.Failure, _run.Layout.Relative(logPath));
            _run.Output.CellFailed(message);
            throw outcome.Exception is null ? new StageFailedException(message) : new StageFailedException(message, outcome.Exception);
        }

        var recorded = _promotion.Promote(stage, decision, result.StagedOutputs);
        var finished = DateTimeOffset.UtcNow;
        _run.Checkpoints.Write(new Checkpoint
        {
            Stage = stage.Name,
            Partition = cell.Partition,
            Fingerprint = decision.Fingerprint,
            HashAlgorithm = ContentHasher.Algorithm,
            CodeVersion = stage.Descriptor.CodeVersion,
            Inputs = cell.Inputs.Select((input, i) => new CheckpointFile(input.Property, input.LogicalPath, decision.InputHashes[i])).ToList(),
            Outputs = recorded,
            Parameters = cell.Parameters,
            Metrics = outcome.Metrics,
            Attempts = result.Attempt,
            RunId = _run.RunId,
            Environment = _run.Environment,
            StartedAt = started,
            FinishedAt = finished,
            DurationMs = Math.Round(clock.Elapsed.TotalMilliseconds, 3),
            ToolVersion = _run.ToolVersion,
        });
        _run.Observers.Notify(o => o.OnCellFinished(new CellFinished(_run.RunId, stage.Name, cell.Partition, result.Attempt, true, null, decision.Decision.Reason, decision.Fingerprint, started, finished, outcome.Metrics)));
        return outcome.Metrics;
    }

    /// <summary>By default only I/O errors and timeouts are transient; a stage's policy may add error codes (e.g. non-convergence).</summary>
    private static bool IsTransient(StageOutcome outcome, RetryPolicy policy) =>
        !outcome.Succeeded && !outcome.Cancelled
        && (outcome.TimedOut
            || outcome.Exception is TimeoutException
            || (outcome.Exception is IOException and not FileNotFoundException and not DirectoryNotFoundException)
            || outcome.ErrorCodes.Any(policy.OnCodes.Contains));

    private static object Vary(object value, long offset) => value is int i ? checked((int)(i + offset)) : (object)checked((long)value + offset);

    private AttemptResult Attempt(StagePlan stage, CellDecision decision, int attempt, CancellationToken cancellation)
    {
        var cell = decision.Cell;
        var policy = stage.Definition.Retry;
        // One staging folder per stage and run, made once; a cell's outputs are named in it by partition, attempt and
        // property. No folder per cell: making and removing thousands of them costs more than the cells' own work.
        var staging = _run.Directories.Ensure(Path.Combine(_run.Layout.Staging, _run.RunId, stage.Name));
        var prefix = string.Create(CultureInfo.InvariantCulture, $"{cell.Partition ?? "all"}.{attempt}.");
        var stagedOutputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var output in cell.Outputs)
        {
            var staged = Path.Combine(staging, prefix + output.Property + "." + Path.GetFileName(output.FullPath));
            OutputPromotion.DeleteStaged(staged);
            stagedOutputs[output.Property] = staged;
            if (stage.AccumulatingOutputs.Contains(output.Property) && File.Exists(output.FullPath))
            {
                File.Copy(output.FullPath, staged);
            }
        }

        var parameters = new Dictionary<string, object>(cell.ParameterValues, StringComparer.Ordinal);
        string? nextVariation = null;
        if (policy.VaryParameter is { } vary && parameters.TryGetValue(vary, out var baseValue))
        {
            parameters[vary] = Vary(baseValue, (attempt - 1) * policy.VaryStep);
            nextVariation = string.Create(CultureInfo.InvariantCulture, $"{Vary(baseValue, attempt * policy.VaryStep)}");
        }

        var logPath = _run.Layout.CellLog(stage.Name, cell.Partition);
        _run.Directories.Ensure(Path.GetDirectoryName(logPath)!);
        StageOutcome outcome;
        using (var engine = new StageBuildEngine(logPath, _run.Output.Console, cell.Label, append: attempt > 1))
        {
            engine.Note(RunOutput.AttemptNote(_run.RunId, cell.Label, decision.Decision.Reason, attempt, policy.Attempts));
            foreach (var input in cell.Inputs)
            {
                engine.Note(RunOutput.InputNote(input.Property, input.LogicalPath));
            }

            var inputs = cell.Inputs.GroupBy(i => i.Property).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(i => i.FullPath).ToList(), StringComparer.Ordinal);
            foreach (var property in stage.Descriptor.Inputs.Where(p => p.Kind == Model.StagePropertyKind.InputList && stage.Definition.Inputs.ContainsKey(p.Name) && !inputs.ContainsKey(p.Name)))
            {
                inputs[property.Name] = [];
            }

            if (attempt == 1)
            {
                _run.Observers.Notify(o => o.OnCellStarted(_run.RunId, stage.Name, cell.Partition));
            }

            var clock = Stopwatch.StartNew();
            outcome = StageHost.Run(stage.Descriptor, inputs, stagedOutputs, parameters, engine, stage.Definition.Timeout, cancellation);
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

            if (outcome.Succeeded)
            {
                var changed = cell.Inputs.Where((input, i) => !_run.Hashes.StillHolds(input.FullPath, decision.InputHashes[i])).Select(i => i.LogicalPath).ToList();
                if (changed.Count > 0)
                {
                    outcome = StageOutcome.Failed(RunOutput.InputsChanged(changed));
                }
            }

            engine.Note(RunOutput.AttemptEndNote(outcome.Succeeded, clock.Elapsed, outcome.Failure));
        }

        if (!outcome.Succeeded)
        {
            OutputPromotion.DeleteStaged(stagedOutputs.Values);
        }

        return new AttemptResult(outcome, stagedOutputs, IsTransient(outcome, policy), attempt, cell.Label, logPath, nextVariation);
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
