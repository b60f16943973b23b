using System.Diagnostics;
using System.Globalization;
using Cairn.Engine.Checkpoints;
using Cairn.Engine.Configuration;
using Cairn.Engine.Hosting;
using Cairn.Engine.Plan;
using Cairn.Engine.Scan;
using Cairn.Hashing;
using Polly;
using Polly.Retry;

namespace Cairn.Engine.Runs;

internal sealed partial class PipelineRun
{
    private readonly Dictionary<string, ResiliencePipeline<AttemptResult>> _retryPipelines = new(StringComparer.Ordinal);

    /// <summary>
    /// Runs one cell, retrying transient failures by the stage's policy. Each attempt writes into its own staging
    /// folder; only after an attempt succeeded and its inputs proved unchanged are the outputs moved to their final
    /// paths (replacing the previous ones whole), and the <c>.ok</c> is written last.
    /// </summary>
    private IReadOnlyDictionary<string, double> Execute(StagePlan stage, CellDecision decision)
    {
        var cell = decision.Cell;
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var attempt = 0;
        var result = RetryPipeline(stage).Execute(token => Attempt(stage, decision, ++attempt, token), _cancellation.Token);
        var outcome = result.Outcome;
        var logPath = Layout.CellLog(stage.Name, cell.Partition);
        if (!outcome.Succeeded)
        {
            DeleteStaged(result.StagedOutputs.Values);
            Notify(o => o.OnCellFinished(new Observing.CellFinished(RunId, stage.Name, cell.Partition, result.Attempt, false, outcome.Failure, decision.Decision.Reason, decision.Fingerprint, started, DateTimeOffset.UtcNow, outcome.Metrics)));
            if (outcome.Cancelled)
            {
                throw new OperationCanceledException($"{cell.Label} was cancelled; nothing of it was recorded", _cancellation.Token);
            }

            var attempts = result.Attempt > 1 ? $" after {result.Attempt} attempts" : string.Empty;
            var message = $"Stage '{stage.Name}' failed{ForPartition(cell.Partition)}{attempts}: {outcome.Failure} (log: {Layout.Relative(logPath)})";
            _console.Detail(message);
            throw outcome.Exception is null ? new StageFailedException(message) : new StageFailedException(message, outcome.Exception);
        }

        var recorded = Promote(stage, decision, result.StagedOutputs);
        var finished = DateTimeOffset.UtcNow;
        _checkpoints.Write(new Checkpoint
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
            RunId = RunId,
            Environment = Options.Environment,
            StartedAt = started,
            FinishedAt = finished,
            DurationMs = Math.Round(clock.Elapsed.TotalMilliseconds, 3),
            ToolVersion = ToolVersion,
        });
        Notify(o => o.OnCellFinished(new Observing.CellFinished(RunId, stage.Name, cell.Partition, result.Attempt, true, null, decision.Decision.Reason, decision.Fingerprint, started, finished, outcome.Metrics)));
        return outcome.Metrics;
    }

    private AttemptResult Attempt(StagePlan stage, CellDecision decision, int attempt, CancellationToken cancellation)
    {
        var cell = decision.Cell;
        var policy = stage.Definition.Retry;
        // One staging folder per stage and run, made once; a cell's outputs are named in it by partition, attempt and
        // property. No folder per cell: making and removing thousands of them costs more than the cells' own work.
        var staging = _directories.Ensure(Path.Combine(Layout.Staging, RunId, stage.Name));
        var prefix = string.Create(CultureInfo.InvariantCulture, $"{cell.Partition ?? "all"}.{attempt}.");
        var stagedOutputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var output in cell.Outputs)
        {
            var staged = Path.Combine(staging, prefix + output.Property + "." + Path.GetFileName(output.FullPath));
            DeleteStaged(staged);
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

        var logPath = Layout.CellLog(stage.Name, cell.Partition);
        _directories.Ensure(Path.GetDirectoryName(logPath)!);
        StageOutcome outcome;
        using (var engine = new StageBuildEngine(logPath, _console, cell.Label, append: attempt > 1))
        {
            engine.Note($"run {RunId}: {cell.Label}: {decision.Decision.Reason}{(policy.Attempts > 1 ? $" (attempt {attempt}/{policy.Attempts})" : string.Empty)}");
            foreach (var input in cell.Inputs)
            {
                engine.Note($"input {input.Property} {input.LogicalPath}");
            }

            var inputs = cell.Inputs.GroupBy(i => i.Property).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(i => i.FullPath).ToList(), StringComparer.Ordinal);
            foreach (var property in stage.Descriptor.Inputs.Where(p => p.Kind == Model.StagePropertyKind.InputList && stage.Definition.Inputs.ContainsKey(p.Name) && !inputs.ContainsKey(p.Name)))
            {
                inputs[property.Name] = [];
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
                        outcome = StageOutcome.Failed($"the task succeeded but did not write its output {output.Property} ({output.LogicalPath})");
                        break;
                    }
                }
            }

            if (outcome.Succeeded)
            {
                var changed = cell.Inputs.Where((input, i) => !_hashes.StillHolds(input.FullPath, decision.InputHashes[i])).Select(i => i.LogicalPath).ToList();
                if (changed.Count > 0)
                {
                    outcome = StageOutcome.Failed($"input changed while the stage ran: {string.Join(", ", changed)}; nothing was recorded, run again");
                }
            }

            engine.Note(outcome.Succeeded ? $"succeeded in {clock.Elapsed.TotalSeconds:0.000} s" : $"failed: {outcome.Failure}");
        }

        if (!outcome.Succeeded)
        {
            DeleteStaged(stagedOutputs.Values);
        }

        return new AttemptResult(outcome, stagedOutputs, IsTransient(outcome, policy), attempt, cell.Label, logPath, nextVariation);
    }

    private static object Vary(object value, long offset) => value is int i ? checked((int)(i + offset)) : (object)checked((long)value + offset);

    /// <summary>By default only I/O errors and timeouts are transient; a stage's policy may add error codes (e.g. non-convergence).</summary>
    private static bool IsTransient(StageOutcome outcome, RetryPolicy policy) =>
        !outcome.Succeeded && !outcome.Cancelled
        && (outcome.TimedOut
            || outcome.Exception is TimeoutException
            || (outcome.Exception is IOException and not FileNotFoundException and not DirectoryNotFoundException)
            || outcome.ErrorCodes.Any(policy.OnCodes.Contains));

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
                            var vary = failed.NextVariation is { } value ? $"; retrying with {policy.VaryParameter} {value}" : string.Empty;
                            var line = $"{failed.Label}: attempt {failed.Attempt + 1}/{policy.Attempts} after {args.RetryDelay.TotalSeconds:0.0} s: {failed.Outcome.Failure}{vary}";
                            _console.Line(line);
                            File.AppendAllText(failed.LogPath, line + Environment.NewLine);
                            return default;
                        },
                    })
                    .Build();
            _retryPipelines[stage.Name] = pipeline;
            return pipeline;
        }
    }

    private static void DeleteStaged(IEnumerable<string> staged)
    {
        foreach (var path in staged)
        {
            DeleteStaged(path);
        }
    }

    /// <summary>Removes what an attempt staged at the path, a file or a folder (directory outputs), if anything.</summary>
    private static void DeleteStaged(string staged)
    {
        if (File.Exists(staged))
        {
            File.Delete(staged);
        }
        else if (Directory.Exists(staged))
        {
            Directory.Delete(staged, recursive: true);
        }
    }

    /// <summary>Moves staged outputs over the final paths and removes outputs the cell recorded before but no longer writes.</summary>
    private List<CheckpointFile> Promote(StagePlan stage, CellDecision decision, IReadOnlyDictionary<string, string> stagedOutputs)
    {
        var cell = decision.Cell;
        var current = cell.Outputs.Select(o => o.LogicalPath).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in decision.Previous?.Outputs ?? [])
        {
            var logical = stale.Path.TrimEnd('/');
            if (current.Contains(logical) || current.Any(c => logical.StartsWith(c + "/", StringComparison.Ordinal)))
            {
                continue;
            }

            var full = _binder.FullPathOfWorkspaceFile(logical);
            if (stale.Hash == UpToDateCheck.DirectoryMarker && Directory.Exists(full))
            {
                Directory.Delete(full, recursive: true);
                _hashes.ForgetUnder(full);
                _directories.ForgetUnder(full);
            }
            else if (File.Exists(full))
            {
                File.Delete(full);
                _hashes.Forget(full);
            }
        }

        var recorded = new List<CheckpointFile>();
        foreach (var output in cell.Outputs)
        {
            var staged = stagedOutputs[output.Property];
            _directories.Ensure(Path.GetDirectoryName(output.FullPath)!);
            if (stage.DirectoryOutputs.Contains(output.Property))
            {
                var files = Directory.EnumerateFiles(staged, "*", SearchOption.AllDirectories)
                    .Select(f => (Relative: Path.GetRelativePath(staged, f).Replace('\\', '/'), Hash: ContentHasher.HashFile(f).ToString()))
                    .OrderBy(f => f.Relative, StringComparer.Ordinal)
                    .ToList();
                if (Directory.Exists(output.FullPath))
                {
                    Directory.Delete(output.FullPath, recursive: true);
                    _directories.ForgetUnder(output.FullPath);
                }
                else if (File.Exists(output.FullPath))
                {
                    File.Delete(output.FullPath);
                }

                Directory.Move(staged, output.FullPath);
                _hashes.ForgetUnder(output.FullPath);
                recorded.Add(new CheckpointFile(output.Property, output.LogicalPath + "/", UpToDateCheck.DirectoryMarker));
                foreach (var (relative, hash) in files)
                {
                    recorded.Add(new CheckpointFile(output.Property, output.LogicalPath + "/" + relative, hash));
                    _hashes.Set(Path.Combine(output.FullPath, relative), hash);
                }
            }
            else
            {
                var hash = ContentHasher.HashFile(staged).ToString();
                if (Directory.Exists(output.FullPath))
                {
                    Directory.Delete(output.FullPath, recursive: true);
                }

                // Write-only-when-different: an identical output keeps its file and timestamp.
                if (string.Equals(_hashes.Fresh(output.FullPath), hash, StringComparison.Ordinal))
                {
                    File.Delete(staged);
                }
                else
                {
                    File.Move(staged, output.FullPath, overwrite: true);
                }

                _hashes.Set(output.FullPath, hash);
                recorded.Add(new CheckpointFile(output.Property, output.LogicalPath, hash));
            }
        }

        return recorded;
    }
}
