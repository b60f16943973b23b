using System.Globalization;
using System.Runtime.InteropServices;
using Cairn.Engine.Configuration;
using Cairn.Engine.Hosting;
using Cairn.Engine.Observing;
using Cairn.Engine.Partitions;
using Cairn.Engine.Plan;
using Cairn.Engine.Reporting;
using Cairn.Engine.Runs;
using Cairn.Engine.Status;
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
    private readonly ConsoleWriters _console;
    private readonly IReadOnlyList<IRunObserver> _observers;
    private readonly string _repositoryRoot;
    private readonly List<PosixSignalRegistration> _signals = [];
    private PipelineRun? _run;
    private Exception? _kept;
    private int _cancelledExitCode = 1;
    private TimeProvider _fileClock = TimeProvider.System;
    private string? _runId;
    private string _callerDirectory = Environment.CurrentDirectory;
    private int _signalsSeen;

    private CairnSession(RunOptions options, PipelinePlan plan, TextWriter output, ConsoleWriters console, IReadOnlyList<IRunObserver> observers, string repositoryRoot)
    {
        _options = options;
        _plan = plan;
        _output = output;
        _console = console;
        _observers = observers;
        _repositoryRoot = repositoryRoot;
    }

    /// <summary>The workspace this run writes to.</summary>
    public string Workspace => _options.WorkspaceDirectory;

    /// <summary>The selected partitions, in order.</summary>
    public IReadOnlyList<string> Partitions => _options.Partitions;

    // A target that runs stages begins its run (workspace lock, run log, run-log row) when the session opens; a target
    // that runs no stage (Status, History, Health, Prune, Graph) records no run and takes no lock.
    private PipelineRun Run => _run ??= OpenRun();

    /// <summary>
    /// Validates the pipeline, the target graph and every argument together, before any stage runs; for a target that
    /// runs stages, takes the workspace (waiting for another run that holds it, unless <c>--no-wait</c>).
    /// </summary>
    /// <param name="repositoryRoot">The repository root; the default workspace is <c>work/NAME/</c> under it, NAME the pipeline's name.</param>
    /// <param name="pipelineFile">The pipeline file (e.g. <c>pipelines/weather/pipeline.yaml</c>), relative to the repository root.</param>
    /// <param name="target">The target being run.</param>
    /// <param name="arguments">Every <c>--name=value</c> argument, by name.</param>
    /// <param name="targetGraph">Each target's name and the targets it depends on.</param>
    /// <param name="output">Where everything goes; the console when null (stdout, problems on stderr).</param>
    /// <param name="runsTasks">
    /// False when the host will run no target's action (Cake's <c>--dryrun</c>, <c>--tree</c>, <c>--description</c>):
    /// everything is still checked, but no run begins, so nothing is recorded and the workspace is not taken.
    /// </param>
    /// <exception cref="CairnUsageException">An argument, the pipeline file or the graph cannot be used; the message says how to fix each problem.</exception>
    public static CairnSession Open(
        string repositoryRoot,
        string pipelineFile,
        string target,
        IReadOnlyDictionary<string, IReadOnlyList<string>> arguments,
        IReadOnlyDictionary<string, IReadOnlyList<string>> targetGraph,
        TextWriter? output = null,
        bool runsTasks = true) =>
        Open(CairnPipeline.Load(repositoryRoot, Path.Combine(repositoryRoot, pipelineFile)), target, arguments, targetGraph, output, runsTasks);

    /// <summary>
    /// Opens a run of a pipeline chosen with <see cref="CairnPipeline.Select(string, IReadOnlyDictionary{string, IReadOnlyList{string}})"/>, whose stages the host made its targets
    /// from: validates the target graph and every argument together, before any stage runs; for a target that runs
    /// stages, takes the workspace (waiting for another run that holds it, unless <c>--no-wait</c>).
    /// </summary>
    /// <param name="pipeline">The pipeline; its default workspace is <c>work/NAME/</c> in its repository.</param>
    /// <param name="target">The target being run.</param>
    /// <param name="arguments">Every <c>--name=value</c> argument, by name.</param>
    /// <param name="targetGraph">Each target's name and the targets it depends on: the stages' and the host's own.</param>
    /// <param name="output">Where everything goes; the console when null (stdout, problems on stderr).</param>
    /// <param name="runsTasks">
    /// False when the host will run no target's action (Cake's <c>--dryrun</c>, <c>--tree</c>, <c>--description</c>):
    /// everything is still checked, but no run begins, so nothing is recorded and the workspace is not taken.
    /// </param>
    /// <exception cref="CairnUsageException">
    /// The stage assembly or a stage's task cannot be used, or an argument or the graph; the message says how to fix each problem.
    /// </exception>
    public static CairnSession Open(
        CairnPipeline pipeline,
        string target,
        IReadOnlyDictionary<string, IReadOnlyList<string>> arguments,
        IReadOnlyDictionary<string, IReadOnlyList<string>> targetGraph,
        TextWriter? output = null,
        bool runsTasks = true)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var session = Open(pipeline, target, arguments, targetGraph, output, [], HostEnvironment.OfProcess(output is null && !Console.IsOutputRedirected), runsTasks);
        session.HandleSignals();
        return session;
    }

    /// <summary>
    /// True when stdout carries a document alone (<c>--format=json</c> for a target that runs no stage): the host must
    /// write nothing else there. Everything else the session writes goes to stderr.
    /// </summary>
    public bool StandardOutputIsDocument { get; private init; }

    /// <summary>Writes a usage error's problems to stderr (in red on a terminal) and returns the exit code for it, 2.</summary>
    public static int WriteUsageError(CairnUsageException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var errors = ConsoleWriters.OfProcess(HostEnvironment.OfProcess(!Console.IsOutputRedirected), documentOnStandardOutput: false).Errors;
        errors.WriteLine(ControlCharacters.Escape(error.Message));
        errors.Flush();
        return CairnUsageException.ExitCode;
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
        HostEnvironment host,
        bool runsTasks = true) =>
        Open(CairnPipeline.Load(repositoryRoot, Path.Combine(repositoryRoot, pipelineFile)), target, arguments, targetGraph, output, observers, host, runsTasks);

    private static CairnSession Open(
        CairnPipeline pipeline,
        string target,
        IReadOnlyDictionary<string, IReadOnlyList<string>> arguments,
        IReadOnlyDictionary<string, IReadOnlyList<string>> targetGraph,
        TextWriter? output,
        IReadOnlyList<IRunObserver> observers,
        HostEnvironment host,
        bool runsTasks)
    {
        if (!targetGraph.ContainsKey(target))
        {
            var targets = targetGraph.Keys.Order(StringComparer.Ordinal).ToList();
            var near = targets.FirstOrDefault(t => string.Equals(t, target, StringComparison.OrdinalIgnoreCase))
                ?? targets.MinBy(t => RunArguments.Distance(t.ToLowerInvariant(), target.ToLowerInvariant()));
            var hint = near is not null && RunArguments.Distance(near.ToLowerInvariant(), target.ToLowerInvariant()) <= 2 ? $" Did you mean '{near}'?" : string.Empty;
            throw new CairnUsageException($"Target '{target}' does not exist.{hint} Available targets are: {string.Join(", ", targets)}.");
        }

        var repositoryRoot = pipeline.RepositoryRoot;
        var definition = pipeline.Definition;
        var plan = PipelinePlan.Build(definition, targetGraph);
        var workspace = Path.Combine(repositoryRoot, "work", definition.Name);
        var runsStages = RunsStages(target, targetGraph, plan);
        var options = RunArguments.Parse(
            arguments,
            target,
            baseDirectory: host.CallerDirectory,
            defaultWorkspace: workspace,
            defaultRaw: Path.Combine(workspace, "landing"),
            stageNames: plan.Stages.Select(s => s.Name).ToList(),
            sampleDays: () => definition.SamplePath is null ? null : definition.FanOut is not null ? [] : LandingZone.Keys(definition.SamplePath, definition.PartitionColumn, definition.Partitions),
            environmentVariable: host.Variable,
            writesWorkspace: runsStages && runsTasks,
            readOverrides: (settings, problems) => ParameterOverrides.Read(settings, plan, target, targetGraph, problems),
            partitionScheme: definition.Partitions,
            pipelineCache: definition.Cache,
            fanOut: definition.FanOut,
            pipelineExecutor: definition.Executor);
        var inspection = Engine.Inspecting.InspectionOptions.Parse(options.Arguments, target);
        var windowProblems = WindowCheck.Problems(options, plan);
        if (windowProblems.Count > 0)
        {
            throw new CairnUsageException(windowProblems);
        }

        if (runsStages)
        {
            var skipProblems = SkipCheck.Problems(options, plan);
            if (skipProblems.Count > 0)
            {
                throw new CairnUsageException(skipProblems);
            }
        }

        var document = (inspection.Json || inspection.Output == "-") && !runsStages;
        var console = output is null ? ConsoleWriters.OfProcess(host, document && runsTasks) : ConsoleWriters.To(output, host);
        var runLog = new RunLogObserver(RunLogPath(options), repositoryRoot, host.Variable);
        var reporting = RunReporting.Attach(plan, host, console.Output);
        // Messages carry text from data (a CSV header, a file name): its control characters reach the console escaped.
        var session = new CairnSession(options, plan, new EscapingWriter(reporting.Output), console with { Errors = new EscapingWriter(console.Errors) }, [runLog, .. observers, .. reporting.Observers], repositoryRoot)
        {
            _inspection = inspection,
            _fileClock = host.FileClock,
            _runId = host.RunId,
            _callerDirectory = host.CallerDirectory,
            StandardOutputIsDocument = document,
        };
        if (runsStages && runsTasks)
        {
            try
            {
                CheckRunToken(options);
                session.MakeLandingZone(definition);
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

    /// <summary>
    /// Does one step of the target (<c>s =&gt; s.RunStage("Ingest")</c>, <c>s =&gt; s.Status()</c>, …) for a host that
    /// leaves the reporting of an outcome to <see cref="Finish"/>: a stage that failed, a cancelled run, stale cells
    /// under <c>--check</c> or a usage error is kept for Finish instead of thrown, and once one is kept every later step
    /// does nothing, as a fail-fast run stops there. (Thrown into Cake, each would also print Cake's own error banner.)
    /// </summary>
    /// <returns>False when this step or an earlier one ended the run.</returns>
    public bool Step(Action<CairnSession> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (_kept is not null)
        {
            return false;
        }

        try
        {
            step(this);
            return true;
        }
        catch (Exception e) when (e is StageFailedException or OperationCanceledException or StatusCheckFailedException or CairnUsageException or RunLogDamagedException)
        {
            _kept = e;
            return false;
        }
    }

    /// <summary>
    /// Prints the run's summary (or, for a target that runs no stage, what ended it) and releases the workspace. Pass
    /// the exception that ended the run, if one did; one kept by <see cref="Step"/> counts too.
    /// </summary>
    /// <returns>The exit code: 0 succeeded, 1 failed (or <c>--check</c> found stale cells), 2 a usage error, 130 interrupted (SIGINT), 143 terminated (SIGTERM).</returns>
    public int Finish(Exception? failure)
    {
        failure ??= _kept;
        if (_run is not null)
        {
            return _run.Finish(failure, _cancelledExitCode);
        }

        var exitCode = failure switch
        {
            null => 0,
            CairnUsageException => CairnUsageException.ExitCode,
            _ => 1,
        };

        // Status's text already ends with how many cells are stale; beside a JSON document, stderr says it in one line.
        if (failure is not null && !(failure is StatusCheckFailedException && !_inspection.Json))
        {
            _console.Errors.WriteLine(failure.Message);
        }

        _console.Errors.Flush();
        _output.Flush();
        return exitCode;
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
    /// Begins the run; another run holding the workspace (with <c>--no-wait</c>), or a workspace the run cannot take (a
    /// full disk), is a usage error, as the host sees it: like an unwritable <c>--workspace</c>, nothing has run.
    /// </summary>
    private PipelineRun OpenRun()
    {
        try
        {
            return new PipelineRun(_options, _plan, _output, _observers, _fileClock, _runId);
        }
        catch (WorkspaceBusyException e)
        {
            throw new CairnUsageException(e.Message, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CairnUsageException($"--workspace={_options.WorkspaceDirectory}: a run cannot begin there ({e.Message}).", e);
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

    /// <summary>Makes the default landing zone from the pipeline's sample when a run is about to read it and it is not there yet.</summary>
    private void MakeLandingZone(PipelineDefinition definition)
    {
        if (!_options.RawIsDefaultLandingZone || definition.SamplePath is null || Directory.Exists(_options.RawDirectory))
        {
            return;
        }

        // A stage that fans out cuts the partitions itself: its landing zone is the sample as shipped.
        var scheme = definition.FanOut is null ? definition.Partitions : definition.Partitions with { Grain = PartitionGrain.None };
        var made = LandingZone.EnsureCreated(definition.SamplePath, definition.PartitionColumn, _options.RawDirectory, scheme);
        if (made > 0)
        {
            var what = scheme.IsPartitioned ? string.Create(CultureInfo.InvariantCulture, $"{made:N0} {scheme.Unit}s") : "one file, no partitions";
            _output.WriteLine($"Made the landing zone {Shown(_options.RawDirectory)} from {Shown(definition.SamplePath)}: {what}");
        }
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
