using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Cairn.Engine.Checkpoints;
using Cairn.Engine.Governance;
using Cairn.Engine.Hosting;
using Cairn.Engine.Observing;
using Cairn.Engine.Plan;
using Cairn.Engine.Publishing;
using Cairn.Engine.Scan;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Runs;

/// <summary>
/// One run of a pipeline: it holds the workspace shared with other runs and each stage's cells as its own
/// (<see cref="CellClaims"/>), and for each stage the host asks for (in dependency order) scans its
/// cells (<see cref="CellScanner"/>), has the stale ones run (<see cref="CellScheduler"/>, <see cref="CellExecutor"/>)
/// and says what happened (<see cref="RunOutput"/>, the observers). The parts meet only here.
/// </summary>
internal sealed class PipelineRun : IDisposable
{
    // How long a run's end waits for uploads to the shared cache still going; a cancelled run does not wait.
    private static readonly TimeSpan UploadWait = TimeSpan.FromSeconds(60);

    private readonly CheckpointStore _checkpoints;
    private readonly FileHashes _hashes;
    private readonly KnownDirectories _directories = new();
    private readonly StreamWriter _runLog;
    private readonly StageLogs _stageLogs;
    private readonly RunOutput _output;
    private readonly RunObservers _observers;
    private readonly CellScanner _scanner;
    private readonly CellScheduler _scheduler;
    private readonly CellExecutor _executor;
    private readonly List<StageResult> _results = [];
    private readonly HashSet<string> _rebuilt = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _cancellation = new();
    private readonly WorkspaceLock _lock;
    private readonly CellClaims _claims;
    private readonly Ledger _ledger;
    private readonly RunTokens _tokens;
    private Backfill _backfill;
    private readonly Cache.RemoteCache? _cache;
    private readonly Cache.CacheUploads? _uploads;
    private string? _cancelReason;
    private readonly Timer? _timeout;

    /// <param name="options">The run's arguments.</param>
    /// <param name="plan">The checked pipeline.</param>
    /// <param name="output">The console.</param>
    /// <param name="observers">Who hears of the run as it goes.</param>
    /// <param name="fileClock">The clock files' ages are judged by (<see cref="FileHashes.Open"/>); the system's when null.</param>
    /// <param name="runId">The run's id when the host chose it; made from the start time, pid and a random part when null.</param>
    public PipelineRun(RunOptions options, PipelinePlan plan, TextWriter output, IReadOnlyList<IRunObserver>? observers = null, TimeProvider? fileClock = null, string? runId = null)
    {
        Options = options;
        Plan = plan;
        Layout = new WorkspaceLayout(options.WorkspaceDirectory) { PartitionKey = options.Scheme.Key };
        if (options.Timeout is { } timeout)
        {
            // The reason is set before the token is cancelled: a callback registered on the token runs after a cell that
            // sees the cancellation may already have ended the run with no reason to give.
            _timeout = new Timer(_ => TimeOut(timeout), null, timeout, Timeout.InfiniteTimeSpan);
        }

        _lock = WorkspaceLock.Acquire(Path.Combine(Layout.State, "lock"), wait: !options.NoWait, say: output.WriteLine, _cancellation.Token, shared: true);
        StartedAt = DateTimeOffset.UtcNow;
        RunId = runId ?? $"{StartedAt:yyyyMMdd'T'HHmmss'Z'}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..4]}";
        try
        {
            // What dead runs left is cleared while no other run can begin: beside live runs, only what is surely dead.
            _claims = CellClaims.Register(Layout.State, RunId, options.Target, peers => LeftoverCleanup.Run(Layout, plan.OutputFolders, RunId, peers), _cancellation.Token);
        }
        catch
        {
            _lock.Dispose();
            _timeout?.Dispose();
            _cancellation.Dispose();
            throw;
        }

        try
        {
            ToolVersion = typeof(PipelineRun).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
            var directories = _directories;
            _checkpoints = new CheckpointStore(Layout.Checkpoints, new WorkspacePaths(Layout.Root), options.Scheme.Key);
            Directory.CreateDirectory(Layout.RunLogs);
            RunLogPath = Path.Combine(Layout.RunLogs, RunId + ".log");
            _runLog = new StreamWriter(RunLogPath, append: false);
            _output = new RunOutput(new RunConsole(output, _runLog)) { PartitionKey = options.Scheme.Key };
            _stageLogs = new StageLogs(Layout, RunId, directories);
            _ledger = new Ledger(Layout.State, _output.Warning);
            _tokens = new RunTokens(Layout.State);
            _observers = new RunObservers([.. observers ?? [], new LedgerObserver(_ledger)], _output);
            _hashes = FileHashes.Open(Layout.State, out var cacheProblem, fileClock);
            if (cacheProblem is not null)
            {
                _output.Warning(cacheProblem);
            }

            var reviews = new ReviewStore(Layout.State);
            var binder = new CellBinder(options, plan, StatesSoFar, new ApprovalsInForce(plan, reviews, _checkpoints).Of) { KnownPath = _hashes.KnownPath };
            binder.Contracts = new ContractVersions(plan, binder, _hashes.Get, options.Partitions.Count > 0 ? options.Partitions[0] : null);
            _scanner = new CellScanner(options, binder, _checkpoints, _hashes, new DriftHolds(reviews, options.Scheme.Key));
            _scheduler = new CellScheduler(plan, options.KeepGoing, options.Parallelism);
            _cache = options.Cache is { Mode: not Cache.CacheMode.Off } settings ? new Cache.RemoteCache(settings, _output.Warning) : null;
            _uploads = _cache is null ? null : new Cache.CacheUploads(_cache, Layout);
            _executor = new CellExecutor(new RunContext(RunId, ToolVersion, options.Environment, Layout, _hashes, _checkpoints, directories, _output, _observers, _cancellation.Token)
            {
                Scanner = _scanner,
                Reviews = reviews,
                Ledger = _ledger,
                Cache = _cache,
                Uploads = _uploads,
                Contracts = binder.Contracts,
                Slurm = options.Slurm,
                Selection = options.Selection,
                StageLogs = _stageLogs,
                ParameterOverrides = options.ParameterOverrides,
            });
            _output.Started(RunId, plan.Definition.Name, options.Target, options.Environment, options.Partitions.Count, ToolVersion);
            _executor.ProbeExecutor();
            foreach (var warning in options.RawWarnings)
            {
                _output.Warning(warning);
            }

            _backfill = BackfillScan.Find(options, plan, _scanner, plan.StagesOf(options.Target));
            // Every cell the run may write is its own before any is read: another run holding some is waited for.
            var cells = plan.StagesOf(options.Target).Where(s => !options.SkippedStages.Contains(s))
                .Select(s => (s, (IReadOnlyList<string?>)PartitionsOf(plan.Stage(s)))).ToList();
            if (_claims.Claim(cells, wait: !options.NoWait, say: _output.Waiting, _cancellation.Token) is { } held)
            {
                throw new WorkspaceBusyException(RunOutput.HeldByOthers(held, options.Scheme.Key));
            }

            _output.NeverBuilt(_backfill);
            _observers.Notify(o => o.OnRunStarted(new RunStarted(RunId, plan.Definition.Name, options.Environment, options.Target, options.Arguments, options.Partitions, options.WorkspaceDirectory, ToolVersion, StartedAt)
            {
                ParameterOverrides = options.ParameterOverrides.ToDictionary(o => o.Key, o => o.Canonical, StringComparer.Ordinal),
            }));
        }
        catch
        {
            // A run that cannot begin (a full disk, a folder it may not write) lets go of everything it took.
            (_runLog as IDisposable)?.Dispose();
            (_ledger as IDisposable)?.Dispose();
            _uploads?.Dispose();
            _cache?.Dispose();
            _claims.Dispose();
            _lock.Dispose();
            _timeout?.Dispose();
            _cancellation.Dispose();
            throw;
        }
    }

    public RunOptions Options { get; }

    public PipelinePlan Plan { get; }

    public WorkspaceLayout Layout { get; }

    public string RunId { get; }

    public string ToolVersion { get; }

    public DateTimeOffset StartedAt { get; }

    public string RunLogPath { get; }

    /// <summary>How many folders the run remembers having made: none between stages (<see cref="KnownDirectories.ForgetAll"/>).</summary>
    public int RememberedFolders => _directories.Count;

    /// <summary>
    /// Scans every cell of the stage for the selected partitions and runs the stale ones that no upstream failure
    /// blocks. Fail-fast by default: the first failure fails the stage (after the running cells finish). With
    /// <see cref="RunOptions.KeepGoing"/>, the run fails at the end instead.
    /// </summary>
    public void RunStage(string stageName)
    {
        var stage = Plan.Stage(stageName);
        var clock = Stopwatch.StartNew();
        _cancellation.Token.ThrowIfCancellationRequested();
        _observers.Notify(o => o.OnStageStarted(RunId, stage.Name));
        var partitions = PartitionsOf(stage);
        if (Options.SkippedStages.Contains(stage.Name))
        {
            _output.SkippedByOption(stage.Name, partitions.Count);
            Record(new StageResult(stage.Name, partitions.Count, 0, partitions.Count, 0, clock.Elapsed, new Dictionary<string, double>()));
            return;
        }

        // Another run on the workspace may rewrite a file this run read earlier (an input of this stage it does not
        // hold): from then on what this run remembers of a file is checked against the file's stat before it is used.
        _hashes.RecheckRemembered = _hashes.RecheckRemembered || _claims.OthersAlive(_cancellation.Token);

        if (!stage.Definition.Partitioned && Options.SelectedBy is not null && stage.Definition.Inputs.Values.Any(t => t.Any(p => p.UsesEach)))
        {
            // Rebuilt: a partition one of whose cells ran in this run; a selected partition whose cells were all up to
            // date is read as last built like any other.
            var window = Options.Window(stage.Definition);
            _output.Reads(stage.Name, window.Count, window.Count(_rebuilt.Contains));
        }

        var blocked = _scheduler.Block(stage, partitions);
        _output.Blocked(stage.Name, blocked);
        var open = partitions.Where(p => blocked.All(b => b.Partition != p)).ToList();
        var scanned = Scan(stage, open);
        var held = scanned.Where(d => d.Decision.Kind == DecisionKind.AwaitingApproval).ToList();
        _scheduler.Hold(stage.Name, held);
        var decisions = held.Count == 0 ? scanned : scanned.Where(d => d.Decision.Kind != DecisionKind.AwaitingApproval).ToList();
        _output.Held(held.Select(d => $"{d.Cell.Label}: {d.Decision.Reason}"));
        _output.Decided(stage.Name, decisions, Layout.Relative(RunLogPath));
        _observers.Notify(o => o.OnStageDecided(RunId, stage.Name, decisions));

        StageCells cells;
        try
        {
            _executor.Submit(stage, decisions);
            cells = _scheduler.Run(stage, decisions, decision => _executor.Execute(stage, decision), _cancellation.Token);
        }
        finally
        {
            _executor.DiscardSubmitted(stage);
            _stageLogs.Close(stage.Name);
        }

        _checkpoints.Flush();
        _directories.ForgetAll();
        var skipped = decisions.Count(d => !d.Decision.Run);
        var notRun = partitions.Count - cells.Ran - skipped - cells.Failures.Count;
        if (cells.Aborted is { } aborted)
        {
            // A cancelled run, or a fault of the engine itself (not of a stage): record what happened, pass it on.
            Record(new StageResult(stage.Name, partitions.Count, cells.Ran, skipped, cells.Failures.Count, clock.Elapsed, cells.Metrics) { NotRun = notRun, Restored = _executor.RestoredIn(stage.Name) });
            ExceptionDispatchInfo.Capture(aborted).Throw();
        }

        _cancellation.Token.ThrowIfCancellationRequested();
        _scheduler.Settle(stage.Name, cells);
        _rebuilt.UnionWith(cells.Succeeded.OfType<string>());
        _output.Held(cells.Held.Select(h => h.Message));
        var restored = _executor.RestoredIn(stage.Name);
        if (restored > 0)
        {
            _output.Restored(stage.Name, restored, cells.Ran - restored, clock.Elapsed, cells.Metrics);
        }
        else if (cells.Ran > 0)
        {
            _output.Ran(stage.Name, cells.Ran, clock.Elapsed, cells.Metrics);
        }

        if (cells.Failures.Count > 0 && Options.KeepGoing)
        {
            _output.KeptGoing(stage.Name, cells.Failures.Count);
        }

        if (stage.Definition.FanOut is { } fanOut && Options.Landed is { } landed)
        {
            // The partitions it landed are the downstream stages': read them again, and what a backfill reaches with them.
            landed.Refresh();
            _backfill = BackfillScan.Find(Options, Plan, _scanner, Plan.StagesOf(Options.Target));
            if (cells.Failures.Count == 0)
            {
                _output.Landed(stage.Name, fanOut.Folder, landed.All, landed.Selected, Options.SelectedBy);
            }
            _output.NeverBuilt(_backfill);
        }

        // After the stage's last line, so an observer that frames a stage's output (CI log groups) frames all of it.
        Record(new StageResult(stage.Name, partitions.Count, cells.Ran, skipped, cells.Failures.Count, clock.Elapsed, cells.Metrics) { NotRun = notRun, Restored = restored });
        if (cells.Exceptions.Count > 0 && !Options.KeepGoing)
        {
            ExceptionDispatchInfo.Capture(cells.Exceptions[0]).Throw();
        }
    }

    /// <summary>
    /// Prints the run's stage table, what failed and what was not run because of it, and the outcome; tells the
    /// observers; marks the run ended.
    /// </summary>
    /// <returns>The process exit code: 0 succeeded, 1 failed, 130/143 cancelled by SIGINT/SIGTERM.</returns>
    public int Finish(Exception? failure, int cancelledExitCode = 1)
    {
        var cancelled = failure is OperationCanceledException || (failure?.InnerException is OperationCanceledException) || _cancellation.IsCancellationRequested;
        FinishUploads();
        if (WaitForCheckpoints() is { } unflushed)
        {
            failure ??= unflushed;
        }

        if (failure is null && !cancelled && _scheduler.Failures.Count == 0 && _scheduler.Held.Count == 0)
        {
            failure = Publish();
        }

        var (status, exitCode) = _output.Summary(new RunSummary(
            RunId,
            Options.Environment,
            Plan.Definition.Partitions.IsPartitioned ? Options.Partitions.Count : null,
            Plan.Stages.Select(s => s.Name).ToList(),
            _results,
            _scheduler.Failures,
            _scheduler.Blocked,
            Options.KeepGoing,
            failure,
            cancelled,
            _cancelReason,
            cancelledExitCode,
            _clock.Elapsed,
            Layout.Relative(RunLogPath))
        {
            StaleOutside = _backfill.StaleOutside,
            SelectedBy = Options.SelectedBy,
            Held = _scheduler.Held,
        });
        var message = failure?.Message ?? (_scheduler.Failures.Count > 0 ? _scheduler.Failures[0].Message : _scheduler.Held.Count > 0 ? _scheduler.Held[0].Message : null);
        _observers.Notify(o => o.OnRunFinished(new RunFinished(RunId, status, message, StartedAt, DateTimeOffset.UtcNow, _results)));
        return exitCode;
    }

    /// <summary>
    /// After a run that succeeded, each publishing stage that ran in it has the folders of its directory output
    /// published as versions (<see cref="PackageVersions"/>), <c>LATEST</c> pointed at them, and the oldest versions
    /// beyond <c>keep:</c> removed. Publication is no cell's output, so pointing <c>LATEST</c> elsewhere (a rollback)
    /// leaves every cell up to date. A stage that was up to date publishes only a version missing from the folder (a
    /// publication that failed, a folder removed by hand), so a rollback stays until a new version is built.
    /// </summary>
    /// <returns>The failure that ends the run when a version could not be published, else null.</returns>
    private StageFailedException? Publish()
    {
        // One run at a time moves LATEST and prunes versions; the versions folder is no cell's, so no claim covers it.
        using var publishing = Plan.Stages.Any(s => s.Definition.Publish is not null) ? ShortLock.Take(Path.Combine(Layout.State, "publish.lock"), CancellationToken.None) : null;
        foreach (var stage in Plan.Stages.Where(s => s.Definition.Publish is not null))
        {
            var policy = stage.Definition.Publish!;
            var property = stage.DirectoryOutputs.Single(stage.Definition.Outputs.ContainsKey);
            var built = Layout.FullPathOf(stage.Definition.Outputs[property].Relative);
            var versions = new PackageVersions(Layout.FullPathOf(policy.To));
            var ran = _results.FirstOrDefault(r => r.Stage == stage.Name) is { Ran: > 0 };
            if (_results.All(r => r.Stage != stage.Name) || !Directory.Exists(built))
            {
                continue;
            }

            try
            {
                foreach (var folder in Directory.EnumerateDirectories(built).Order(StringComparer.Ordinal))
                {
                    var version = Path.GetFileName(folder);
                    if (Options.Arguments.GetValueOrDefault("run-token") is { Length: > 0 } token
                        && _tokens.Of(token).FirstOrDefault(p => p.Stage == stage.Name) is { Version: not null } earlier)
                    {
                        if (earlier.Version != version)
                        {
                            return new StageFailedException($"--run-token={token} published {policy.To}/{earlier.Version} in run {earlier.RunId}; this run built {version} from the same arguments, so what it read changed since. A token publishes once: give this run a new token.");
                        }

                        _output.TokenPublishedAlready(stage.Name, token, policy.To, version, earlier.RunId);
                        continue;
                    }

                    if (!ran && Directory.Exists(Path.Combine(versions.Folder, version)))
                    {
                        continue;
                    }

                    var added = versions.Publish(folder, DateTimeOffset.UtcNow);
                    versions.PointLatestAt(Path.GetFileName(folder));
                    _output.Published(stage.Name, policy.To, Path.GetFileName(folder), added);
                    _ledger.Append("published", new System.Text.Json.Nodes.JsonObject
                    {
                        ["run_id"] = RunId,
                        ["stage"] = stage.Name,
                        ["version"] = Path.GetFileName(folder),
                        ["to"] = policy.To,
                        ["new"] = added,
                        ["run_token"] = Options.Arguments.GetValueOrDefault("run-token"),
                    });
                    if (Options.Arguments.GetValueOrDefault("run-token") is { Length: > 0 } published)
                    {
                        _tokens.Record(published, RunId, stage.Name, version, RunTokens.IdentityOf(Options));
                    }
                }

                if (policy.Keep is { } keep)
                {
                    foreach (var removed in versions.Prune(keep))
                    {
                        _output.Pruned(stage.Name, policy.To, removed, keep);
                        _ledger.Append("version_removed", new System.Text.Json.Nodes.JsonObject { ["run_id"] = RunId, ["version"] = removed, ["keep"] = keep });
                    }
                }
            }
            catch (IOException e)
            {
                return new StageFailedException($"Stage '{stage.Name}' built {Layout.Relative(built)} but publishing it to {policy.To}/ failed: {e.Message} Fix the cause and run again: the next run publishes it.", e);
            }
        }

        return null;
    }

    private void TimeOut(TimeSpan timeout)
    {
        try
        {
            Cancel(RunOutput.TimedOut(timeout));
        }
        catch (ObjectDisposedException)
        {
            // The run ended as the time ran out.
        }
    }

    /// <summary>Cancels the run: the running cells are asked to stop, their outputs discarded, nothing of them recorded.</summary>
    public void Cancel(string reason)
    {
        _cancelReason ??= reason;
        _cancellation.Cancel();
    }

    /// <summary>Waits for the stages' checkpoints to be on disk (<see cref="CheckpointStore.Flush"/> runs in the background).</summary>
    /// <returns>Why they could not be flushed, or null.</returns>
    private IOException? WaitForCheckpoints()
    {
        try
        {
            _checkpoints.WaitForFlushes();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new IOException($"the checkpoints in {Layout.Checkpoints} could not be flushed to disk ({e.Message}); the next run checks them again", e);
        }
    }

    public void Dispose()
    {
        try
        {
            _timeout?.Dispose();
            FinishUploads();
            WaitForCheckpoints();
            _uploads?.Dispose();
            _cache?.Dispose();
            // Saved even after a failed run: every entry vouches only for a file whose stat still matches it. Merged into
            // what other runs saved meanwhile, under a lock of its own (StatCache.SaveIfChanged).
            if (_hashes.Save() is { } problem)
            {
                _output.Warning(problem);
            }

            _runLog.Dispose();
            _stageLogs.Dispose();
            _ledger.Dispose();
            if (Directory.Exists(Path.Combine(Layout.Staging, RunId)))
            {
                Directory.Delete(Path.Combine(Layout.Staging, RunId), recursive: true);
            }

            // Only now has the run ended: a kill before this line (during the stat cache's save, say) leaves the marker
            // and this run's claim, and the next run alone removes what this one left behind. Beside a live run the
            // marker stays: that run's end removes it.
            _claims.Release(othersAlive =>
            {
                if (!othersAlive)
                {
                    LeftoverCleanup.Ended(Layout);
                }
            });
        }
        finally
        {
            _claims.Dispose();
            _cancellation.Dispose();
            _lock.Dispose();
        }
    }

    /// <summary>
    /// Every cell of the stage scanned; a cell whose input does not exist stops the run, naming who writes it. The scan
    /// reads files (hashing inputs a first time), which can block (a hung network share): it runs on a thread of its
    /// own that a cancellation or the run's <c>--timeout</c> gives up on, so the run always ends.
    /// </summary>
    private IReadOnlyList<CellDecision> Scan(StagePlan stage, List<string?> partitions)
    {
        var scan = Task.Factory.StartNew(() => _scanner.Scan(stage, partitions, skippedNamedOnly: true), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            scan.Wait(_cancellation.Token);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        var decisions = scan.Result;
        if (decisions.FirstOrDefault(d => d.MissingInputs.Count > 0) is { } missing)
        {
            var input = missing.MissingInputs[0];
            throw new StageFailedException(RunOutput.MissingInput(stage.Name, missing.Cell.PartitionLabel, input.Property, input.LogicalPath, stage.Producers, Plan.Definition.FilePath));
        }

        foreach (var unreadable in decisions.Where(d => d.Decision.Kind == DecisionKind.CheckpointUnreadable))
        {
            _output.Warning(unreadable.Decision.Reason);
        }

        return decisions;
    }

    /// <summary>The uploads to the shared cache still going are waited for (bounded; not at all after a cancellation) before the run ends, and said.</summary>
    private void FinishUploads()
    {
        if (_uploads?.Finish(_cancellation.IsCancellationRequested ? TimeSpan.Zero : UploadWait) is { } said)
        {
            _output.Console.Line(said);
        }
    }

    /// <summary>The stage's cells in this run: one per selected partition, or its one whole-dataset cell (null).</summary>
    private List<string?> PartitionsOf(StagePlan stage) => stage.Definition.Partitioned ? _backfill.CellPartitions.Select(p => (string?)p).ToList() : [null];

    private void Record(StageResult result)
    {
        _results.Add(result);
        _observers.Notify(o => o.OnStageFinished(RunId, result));
    }

    /// <summary>
    /// The <c>{run}</c> parameter for a stage about to run: every stage of the pipeline as <c>Stage=state</c>, in
    /// pipeline order. A finished stage is <c>ran R/C</c>, <c>skipped 0/C</c> or <c>failed R/C</c> (R cells ran of C);
    /// the stage itself is <c>running</c>; the rest are <c>pending</c>.
    /// </summary>
    private List<string> StatesSoFar(string current)
    {
        var states = new List<string>();
        foreach (var stage in Plan.Stages)
        {
            var result = _results.FirstOrDefault(r => r.Stage == stage.Name);
            var state = result is not null
                ? string.Create(CultureInfo.InvariantCulture, $"{(result.Failed > 0 ? "failed" : result.Ran > 0 ? "ran" : "skipped")} {result.Ran}/{result.Cells}")
                : stage.Name == current ? "running" : "pending";
            states.Add($"{stage.Name}={state}");
        }

        return states;
    }
}
