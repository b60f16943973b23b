using System.Diagnostics;
using System.Reflection;
using Cairn.Engine.Checkpoints;
using Cairn.Engine.Hosting;
using Cairn.Engine.Observing;
using Cairn.Engine.Plan;
using Cairn.Engine.Scan;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Runs;

/// <summary>
/// One run of a pipeline: Cake calls <see cref="RunStage"/> for each target in dependency order; each call
/// decides every cell of that stage, runs the stale ones and checkpoints them.
/// </summary>
internal sealed partial class PipelineRun : IDisposable
{
    private readonly CellBinder _binder;
    private readonly CellScanner _scanner;
    private readonly CheckpointStore _checkpoints;
    private readonly KnownDirectories _directories = new();
    private readonly FileHashes _hashes;
    private readonly RunConsole _console;
    private readonly StreamWriter _runLog;
    private readonly List<StageResult> _results = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly IReadOnlyList<IRunObserver> _observers;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly WorkspaceLock _lock;
    private readonly List<CellFailure> _failures = [];
    private readonly HashSet<(string Stage, string? Partition)> _notDone = [];
    private string? _cancelReason;

    public PipelineRun(RunOptions options, PipelinePlan plan, TextWriter output, IReadOnlyList<IRunObserver>? observers = null)
    {
        _observers = observers ?? [];
        Options = options;
        Plan = plan;
        Layout = new WorkspaceLayout(options.WorkspaceDirectory);
        if (options.Timeout is { } timeout)
        {
            _cancellation.CancelAfter(timeout);
            _cancellation.Token.Register(() => _cancelReason ??= $"the run's --timeout of {Configuration.Durations.Format(timeout)} ran out");
        }

        _lock = WorkspaceLock.Acquire(Path.Combine(Layout.State, "lock"), wait: !options.NoWait, say: output.WriteLine, _cancellation.Token);
        StartedAt = DateTimeOffset.UtcNow;
        RunId = $"{StartedAt:yyyyMMdd'T'HHmmss'Z'}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..4]}";
        ToolVersion = typeof(PipelineRun).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        _binder = new CellBinder(options, plan, StatesSoFar);
        _checkpoints = new CheckpointStore(Layout.Checkpoints, _directories);
        Directory.CreateDirectory(Layout.RunLogs);
        RunLogPath = Path.Combine(Layout.RunLogs, RunId + ".log");
        _runLog = new StreamWriter(RunLogPath, append: false);
        _console = new RunConsole(output, _runLog);
        _hashes = FileHashes.Open(Layout.State, out var cacheProblem);
        if (cacheProblem is not null)
        {
            _console.Line($"warning: {cacheProblem}");
        }

        _scanner = new CellScanner(options, _binder, _checkpoints, _hashes);
        RemoveLeftoverStaging();
        _console.Detail($"run {RunId} pipeline {plan.Definition.Name} target {options.Target} env {options.Environment} partitions {options.Partitions.Count} tool {ToolVersion}");
        Notify(o => o.OnRunStarted(new RunStarted(RunId, plan.Definition.Name, options.Environment, options.Target, options.Arguments, options.Partitions, options.WorkspaceDirectory, ToolVersion, StartedAt)));
    }

    public RunOptions Options { get; }

    public PipelinePlan Plan { get; }

    public WorkspaceLayout Layout { get; }

    public string RunId { get; }

    public string ToolVersion { get; }

    public DateTimeOffset StartedAt { get; }

    public string RunLogPath { get; }

    public IReadOnlyList<StageResult> Results => _results;

    public void Dispose()
    {
        // Saved even after a failed run: every entry vouches only for a file whose stat still matches it. Saved before
        // the workspace lock is let go, so two runs never write it at once.
        if (_hashes.Save() is { } problem)
        {
            _console.Line($"warning: {problem}");
        }

        _runLog.Dispose();
        if (Directory.Exists(Path.Combine(Layout.Staging, RunId)))
        {
            Directory.Delete(Path.Combine(Layout.Staging, RunId), recursive: true);
        }

        _cancellation.Dispose();
        _lock.Dispose();
    }

    /// <summary>Cancels the run: the running cells are asked to stop, their outputs discarded, nothing of them recorded.</summary>
    public void Cancel(string reason)
    {
        _cancelReason ??= reason;
        _cancellation.Cancel();
    }

    /// <summary>Tells every observer; one that fails is reported and skipped, never failing the run.</summary>
    private void Notify(Action<IRunObserver> tell)
    {
        foreach (var observer in _observers)
        {
            try
            {
                tell(observer);
            }
#pragma warning disable CA1031 // An observer (run log, webhook, CI annotations) must not be able to fail the run it observes.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _console.Line($"warning: {observer.GetType().Name} failed: {e.Message}");
            }
        }
    }

    /// <summary>
    /// This run holds the workspace lock, so whatever staging folders and temp files are there were left by runs that
    /// died: nothing will promote them, and nothing may mistake them for results.
    /// </summary>
    private void RemoveLeftoverStaging()
    {
        var marker = Path.Combine(Layout.State, "running");
        var crashed = File.Exists(marker);
        if (Directory.Exists(Layout.Staging))
        {
            Directory.Delete(Layout.Staging, recursive: true);
        }

        if (crashed)
        {
            foreach (var root in new[] { Layout.Checkpoints, Path.Combine(Layout.Root, "data"), Path.Combine(Layout.Root, "artifacts"), Path.Combine(Layout.Root, "reports") }.Where(Directory.Exists))
            {
                foreach (var temp in Directory.EnumerateFiles(root, ".*.tmp", SearchOption.AllDirectories))
                {
                    File.Delete(temp);
                }
            }
        }

        Directory.CreateDirectory(Layout.State);
        File.WriteAllText(marker, RunId + "\n");
    }
}
