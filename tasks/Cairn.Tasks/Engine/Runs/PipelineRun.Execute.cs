using System.Diagnostics;
using Cairn.Engine.Checkpoints;
using Cairn.Engine.Decisions;
using Cairn.Engine.Hosting;
using Cairn.Hashing;

namespace Cairn.Engine.Runs;

internal sealed partial class PipelineRun
{
    /// <summary>
    /// Runs one cell: the task writes into a staging folder; only after it succeeded and its inputs proved
    /// unchanged are the outputs moved to their final paths (replacing the previous ones whole), and the
    /// <c>.ok</c> is written last.
    /// </summary>
    private IReadOnlyDictionary<string, double> Execute(StagePlan stage, CellDecision decision)
    {
        var cell = decision.Cell;
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var staging = Path.Combine(Layout.Staging, RunId, stage.Name, cell.Partition ?? "all");
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }

        var stagedOutputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var output in cell.Outputs)
        {
            var staged = Path.Combine(staging, output.Property, Path.GetFileName(output.FullPath));
            Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
            stagedOutputs[output.Property] = staged;
            if (stage.AccumulatingOutputs.Contains(output.Property) && File.Exists(output.FullPath))
            {
                File.Copy(output.FullPath, staged);
            }
        }

        var logPath = Layout.CellLog(stage.Name, cell.Partition);
        StageOutcome outcome;
        using (var engine = new StageBuildEngine(logPath, _console, cell.Label))
        {
            engine.Note($"run {RunId}: {cell.Label}: {decision.Decision.Reason}");
            foreach (var input in cell.Inputs)
            {
                engine.Note($"input {input.Property} {input.LogicalPath}");
            }

            var inputs = cell.Inputs.GroupBy(i => i.Property).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(i => i.FullPath).ToList(), StringComparer.Ordinal);
            foreach (var property in stage.Descriptor.Inputs.Where(p => p.Kind == Model.StagePropertyKind.InputList && stage.Definition.Inputs.ContainsKey(p.Name) && !inputs.ContainsKey(p.Name)))
            {
                inputs[property.Name] = [];
            }

            outcome = StageHost.Run(stage.Descriptor, inputs, stagedOutputs, cell.ParameterValues, engine);
            if (outcome.Succeeded)
            {
                foreach (var output in cell.Outputs)
                {
                    var staged = stagedOutputs[output.Property];
                    var exists = stage.DirectoryOutputs.Contains(output.Property) ? Directory.Exists(staged) : File.Exists(staged);
                    if (!exists)
                    {
                        outcome = outcome with { Succeeded = false, Failure = $"the task succeeded but did not write its output {output.Property} ({output.LogicalPath})" };
                        break;
                    }
                }
            }

            if (outcome.Succeeded)
            {
                var changed = cell.Inputs.Where((input, i) => !string.Equals(_hashes.Fresh(input.FullPath), decision.InputHashes[i], StringComparison.Ordinal)).Select(i => i.LogicalPath).ToList();
                if (changed.Count > 0)
                {
                    outcome = outcome with { Succeeded = false, Failure = $"input changed while the stage ran: {string.Join(", ", changed)}; nothing was recorded, run again" };
                }
            }

            engine.Note(outcome.Succeeded ? $"succeeded in {clock.Elapsed.TotalSeconds:0.000} s" : $"failed: {outcome.Failure}");
        }

        if (!outcome.Succeeded)
        {
            Notify(o => o.OnCellFinished(new Observing.CellFinished(RunId, stage.Name, cell.Partition, 1, false, outcome.Failure, decision.Decision.Reason, decision.Fingerprint, started, DateTimeOffset.UtcNow, outcome.Metrics)));
            Directory.Delete(staging, recursive: true);
            var message = $"Stage '{stage.Name}' failed{ForPartition(cell.Partition)}: {outcome.Failure} (log: {Layout.Relative(logPath)})";
            _console.Detail(message);
            throw outcome.Exception is null ? new StageFailedException(message) : new StageFailedException(message, outcome.Exception);
        }

        var recorded = Promote(stage, decision, stagedOutputs);
        Directory.Delete(staging, recursive: true);
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
            RunId = RunId,
            Environment = Options.Environment,
            StartedAt = started,
            FinishedAt = finished,
            DurationMs = Math.Round(clock.Elapsed.TotalMilliseconds, 3),
            ToolVersion = ToolVersion,
        });
        Notify(o => o.OnCellFinished(new Observing.CellFinished(RunId, stage.Name, cell.Partition, 1, true, null, decision.Decision.Reason, decision.Fingerprint, started, finished, outcome.Metrics)));
        return outcome.Metrics;
    }

    /// <summary>Moves staged outputs over the final paths and removes outputs the cell recorded before but no longer writes.</summary>
    private List<CheckpointFile> Promote(StagePlan stage, CellDecision decision, Dictionary<string, string> stagedOutputs)
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
            Directory.CreateDirectory(Path.GetDirectoryName(output.FullPath)!);
            if (stage.DirectoryOutputs.Contains(output.Property))
            {
                var files = Directory.EnumerateFiles(staged, "*", SearchOption.AllDirectories)
                    .Select(f => (Relative: Path.GetRelativePath(staged, f).Replace('\\', '/'), Hash: ContentHasher.HashFile(f).ToString()))
                    .OrderBy(f => f.Relative, StringComparer.Ordinal)
                    .ToList();
                if (Directory.Exists(output.FullPath))
                {
                    Directory.Delete(output.FullPath, recursive: true);
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
