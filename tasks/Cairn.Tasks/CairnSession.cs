using System.Runtime.InteropServices;
using Cairn.Engine.Configuration;
using Cairn.Engine.Hosting;
using Cairn.Engine.Observing;
using Cairn.Engine.Partitions;
using Cairn.Engine.Plan;
using Cairn.Engine.Reporting;
using Cairn.Engine.Runs;
using Cairn.Engine.Workspace;

namespace Cairn;

/// <summary>
/// The whole surface a DAG host (the Cake script) uses: open a run with the command-line arguments and the target
/// graph, run stages in dependency order, finish. Knows nothing of Cake, so another host could drive it the same way.
/// </summary>
public sealed partial class CairnSession : IDisposable
{
    /// <summary>The environment variable the bootstrappers set to the directory they were started from.</summary>
    public const string CallerDirectoryVariable = "CAIRN_CALLER_DIRECTORY";

    private readonly RunOptions _options;
    private readonly PipelinePlan _plan;
    private readonly TextWriter _output;
    private readonly IReadOnlyList<IRunObserver> _observers;
    private readonly string _repositoryRoot;
    private readonly List<PosixSignalRegistration> _signals = [];
    private PipelineRun? _run;
    private int _cancelledExitCode = 1;
    private TimeProvider _fileClock = TimeProvider.System;
    private int _signalsSeen;

    private CairnSession(RunOptions options, PipelinePlan plan, TextWriter output, IReadOnlyList<IRunObserver> observers, string repositoryRoot)
    {
        _options = options;
        _plan = plan;
        _output = output;
        _observers = observers;
        _repositoryRoot = repositoryRoot;
    }

    /// <summary>The workspace this run writes to.</summary>
    public string Workspace => _options.WorkspaceDirectory;

    /// <summary>The selected partitions, in order.</summary>
    public IReadOnlyList<string> Partitions => _options.Partitions;

    // A target that runs stages begins its run (workspace lock, run log, run-log row) when the session opens; a target
    // that runs no stage (Status, History, Health, Graph) records no run and takes no lock.
    private PipelineRun Run => _run ??= OpenRun();

    /// <summary>
    /// Validates the pipeline, the target graph and every argument together, before any stage runs; for a target that
    /// runs stages, takes the workspace (waiting for another run that holds it, unless <c>--no-wait</c>).
    /// </summary>
    /// <param name="repositoryRoot">The repository root; the default workspace is <c>work/</c> under it.</param>
    /// <param name="pipelineFile">The pipeline file (e.g. <c>pipelines/weather/pipeline.yaml</c>).</param>
    /// <param name="target">The target being run.</param>
    /// <param name="arguments">Every <c>--name=value</c> argument, by name.</param>
    /// <param name="targetGraph">Each target's name and the targets it depends on.</param>
    /// <param name="output">Where progress goes; the console when null.</param>
    /// <exception cref="CairnUsageException">An argument, the pipeline file or the graph cannot be used; the message says how to fix each problem.</exception>
    public static CairnSession Open(
        string repositoryRoot,
        string pipelineFile,
        string target,
        IReadOnlyDictionary<string, IReadOnlyList<string>> arguments,
        IReadOnlyDictionary<string, IReadOnlyList<string>> targetGraph,
        TextWriter? output = null)
    {
        var session = Open(repositoryRoot, pipelineFile, target, arguments, targetGraph, output, [], HostEnvironment.OfProcess(output is null && !Console.IsOutputRedirected));
        session.HandleSignals();
        return session;
    }

    /// <summary>Opens a run that also reports to the given observers (tests, extra sinks), in the given host environment.</summary>
    internal static CairnSession Open(
        string repositoryRoot,
        string pipelineFile,
        string target,
        IReadOnlyDictionary<string, IReadOnlyList<string>> arguments,
        IReadOnlyDictionary<string, IReadOnlyList<string>> targetGraph,
        TextWriter? output,
        IReadOnlyList<IRunObserver> observers,
        HostEnvironment host)
    {
        if (!targetGraph.ContainsKey(target))
        {
            var targets = targetGraph.Keys.Order(StringComparer.Ordinal).ToList();
            var near = targets.FirstOrDefault(t => string.Equals(t, target, StringComparison.OrdinalIgnoreCase))
                ?? targets.MinBy(t => RunArguments.Distance(t.ToLowerInvariant(), target.ToLowerInvariant()));
            var hint = near is not null && RunArguments.Distance(near.ToLowerInvariant(), target.ToLowerInvariant()) <= 2 ? $" Did you mean '{near}'?" : string.Empty;
            throw new CairnUsageException($"Target '{target}' does not exist.{hint} Available targets are: {string.Join(", ", targets)}.");
        }

        PipelineDefinition definition;
        PipelinePlan plan;
        try
        {
            definition = PipelineLoader.Load(Path.Combine(repositoryRoot, pipelineFile));
            plan = PipelinePlan.Build(definition, targetGraph);
        }
        catch (CairnConfigurationException e)
        {
            throw new CairnUsageException(e.Message, e);
        }

        var runsStages = RunsStages(target, targetGraph, plan);
        var options = RunArguments.Parse(
            arguments,
            target,
            baseDirectory: CallerDirectory(host),
            defaultWorkspace: Path.Combine(repositoryRoot, "work"),
            defaultRaw: Path.Combine(repositoryRoot, "work", "landing"),
            stageNames: plan.Stages.Select(s => s.Name).ToList(),
            ensureDefaultRaw: raw => definition.SamplePath is not null && LandingZone.EnsureCreated(definition.SamplePath, definition.PartitionColumn, raw),
            environmentVariable: host.Variable,
            writesWorkspace: runsStages);
        var inspection = Engine.Inspecting.InspectionOptions.Parse(options.Arguments);
        if (runsStages)
        {
            var skipProblems = SkipCheck.Problems(options, plan);
            if (skipProblems.Count > 0)
            {
                throw new CairnUsageException(skipProblems);
            }
        }

        var runLog = new RunLogObserver(RunLogPath(options), repositoryRoot, host.Variable);
        var reporting = RunReporting.Attach(plan, host, output ?? Console.Out);
        var session = new CairnSession(options, plan, reporting.Output, [runLog, .. observers, .. reporting.Observers], repositoryRoot) { _inspection = inspection, _fileClock = host.FileClock };
        if (runsStages)
        {
            try
            {
                _ = session.Run;
            }
            catch (CairnUsageException)
            {
                session.Dispose();
                throw;
            }
        }

        return session;
    }

    /// <summary>Decides and runs every cell of one stage for the selected partitions.</summary>
    /// <exception cref="StageFailedException">A cell failed; the message names the stage, the partition, the cause and the log.</exception>
    public void RunStage(string stage) => Run.RunStage(stage);

    /// <summary>Prints the run's summary and releases the workspace. Pass the exception that ended the run, if one did.</summary>
    /// <returns>The exit code: 0 succeeded, 1 failed, 130 interrupted (SIGINT), 143 terminated (SIGTERM).</returns>
    public int Finish(Exception? failure)
    {
        if (_run is not null)
        {
            return _run.Finish(failure, _cancelledExitCode);
        }

        if (failure is not null)
        {
            _output.WriteLine(failure.Message);
            return 1;
        }

        return 0;
    }

    /// <summary>Cancels the run, as Ctrl+C does.</summary>
    public void Cancel(string reason) => _run?.Cancel(reason);

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }

        _run?.Dispose();
        foreach (var observer in _observers.OfType<IDisposable>())
        {
            observer.Dispose();
        }
    }

    /// <summary>
    /// Where relative <c>--workspace</c> and <c>--raw</c> paths start: the directory the user ran <c>build.sh</c> from
    /// (the bootstrappers export it as <c>CAIRN_CALLER_DIRECTORY</c>, since Cake moves into <c>build/</c>), otherwise
    /// the process's current directory, as for any relative path.
    /// </summary>
    private static string CallerDirectory(HostEnvironment host) =>
        host.Variable(CallerDirectoryVariable) is { Length: > 0 } caller && Path.IsPathFullyQualified(caller) ? caller : Environment.CurrentDirectory;

    /// <summary>Begins the run; another run holding the workspace (with <c>--no-wait</c>) is a usage error, as the host sees it.</summary>
    private PipelineRun OpenRun()
    {
        try
        {
            return new PipelineRun(_options, _plan, _output, _observers, _fileClock);
        }
        catch (WorkspaceBusyException e)
        {
            throw new CairnUsageException(e.Message, e);
        }
    }

    /// <summary>True when the target or a target it depends on is a stage.</summary>
    private static bool RunsStages(string target, IReadOnlyDictionary<string, IReadOnlyList<string>> targetGraph, PipelinePlan plan)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([target]);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (!seen.Add(next))
            {
                continue;
            }

            if (plan.Stages.Any(s => s.Name == next))
            {
                return true;
            }

            foreach (var dependency in targetGraph.GetValueOrDefault(next) ?? [])
            {
                pending.Push(dependency);
            }
        }

        return false;
    }

    /// <summary>
    /// Ctrl+C or SIGTERM cancels the running cells (no checkpoint, outputs discarded) and ends the run with 130 or
    /// 143; a second one ends the process at once, still without a checkpoint.
    /// </summary>
    private void HandleSignals()
    {
        void On(PosixSignalContext context, int exitCode, string name)
        {
            context.Cancel = true;
            if (Interlocked.Increment(ref _signalsSeen) > 1)
            {
                Console.Error.WriteLine($"{name} again: stopping at once; nothing of the running cells is recorded.");
                Environment.Exit(exitCode);
            }

            _cancelledExitCode = exitCode;
            Console.Error.WriteLine($"{name}: cancelling the running cells; send it again to stop at once.");
            _run?.Cancel($"interrupted by {name}");
        }

        _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, c => On(c, RunOutput.InterruptedExitCode, "Ctrl+C (SIGINT)")));
        _signals.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => On(c, RunOutput.TerminatedExitCode, "SIGTERM")));
    }
}
