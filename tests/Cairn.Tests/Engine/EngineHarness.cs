using Cairn.Engine.Plan;
using Cairn.Tests.Support;

namespace Cairn.Tests.Engine;

/// <summary>
/// A pipeline of test stages in a temp folder (pipeline file, raw landing zone, workspace) run through the real engine,
/// the way the Cake script drives it: open with arguments and the target graph, run the stages in order, finish.
/// </summary>
internal sealed class EngineHarness : IDisposable
{
    private readonly List<(string Stage, string[] DependsOn)> _graph;

    public EngineHarness(string pipelineYaml, params (string Stage, string[] DependsOn)[] graph)
    {
        Env = new TestEnvironment();
        _graph = graph.ToList();
        Env.WriteFile("pipeline/pipeline.yaml", pipelineYaml);
        Directory.CreateDirectory(Raw);
    }

    public EngineHarness(PipelineYaml pipeline, params (string Stage, string[] DependsOn)[] graph)
        : this(pipeline.ToString(), graph)
    {
    }

    /// <summary><see cref="PipelineYaml.TwoStages"/> (Upper per day, then Concat) over the given days, each with one raw file.</summary>
    public static EngineHarness TwoStages(params string[] days)
    {
        var harness = new EngineHarness(PipelineYaml.TwoStages(), ("Upper", []), ("Concat", ["Upper"]));
        foreach (var day in days)
        {
            harness.WriteRaw(day, $"row of {day}\n");
        }

        return harness;
    }

    public TestEnvironment Env { get; }

    public string Raw => Env.PathOf("raw");

    public string Workspace => Env.PathOf("ws");

    public void WriteRaw(string day, string content, string file = "part.csv") => Env.WriteFile($"raw/date={day}/{file}", content);

    public string WorkspaceFile(string relative) => Path.Combine(Workspace, relative);

    public string Checkpoint(string stage, string? day = null) =>
        day is null ? WorkspaceFile($"checkpoints/{stage}.ok") : WorkspaceFile($"checkpoints/date={day}/{stage}.ok");

    /// <summary>The Cake target graph the harness runs with: each stage and the stages it depends on.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> TargetGraph => _graph.ToDictionary(g => g.Stage, g => (IReadOnlyList<string>)g.DependsOn);

    /// <summary>Observers the next runs report to, besides the console.</summary>
    public List<Cairn.Engine.Observing.IRunObserver> Observers { get; } = [];

    /// <summary>The environment variables the next runs see (none of the test process's own, so CI settings never leak in).</summary>
    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether the next runs believe their output is a terminal.</summary>
    public bool OutputIsTerminal { get; set; }

    /// <summary>The clock the next runs read.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>The clock the next runs judge files' ages by (the stat cache's racy window).</summary>
    public TimeProvider FileClock { get; set; } = TimeProvider.System;

    public void SetPipeline(string yaml) => Env.WriteFile("pipeline/pipeline.yaml", yaml);

    public void SetPipeline(PipelineYaml pipeline) => SetPipeline(pipeline.ToString());

    /// <summary>Runs every stage in graph order with the given <c>--name=value</c> arguments.</summary>
    public RunOutcome Run(params string[] arguments) => RunStages(_graph.Select(g => g.Stage).ToList(), arguments);

    /// <summary>Runs one stage alone, as Cake's <c>--exclusive</c> does.</summary>
    public RunOutcome RunExclusive(string stage, params string[] arguments) => RunStages([stage], arguments);

    /// <summary>Called with each line the next runs write, as it is written.</summary>
    public Action<string>? LineWritten { get; set; }

    /// <summary>Runs every stage and cancels the run, as Ctrl+C does, the moment its first cell's task starts.</summary>
    public RunOutcome RunCancellingWhenACellStarts(params string[] arguments) => RunStages(_graph.Select(g => g.Stage).ToList(), arguments, cancelOnCellStart: true);

    /// <summary>Opens a session (holding the workspace) without running anything; dispose it to let go.</summary>
    public Cairn.CairnSession Open(TextWriter output, params string[] arguments) =>
        Cairn.CairnSession.Open(Env.Root, "pipeline/pipeline.yaml", _graph[^1].Stage, Arguments(arguments), _graph.ToDictionary(g => g.Stage, g => (IReadOnlyList<string>)g.DependsOn), output, Observers, Host());

    /// <summary>Opens a session for one of the host's own targets (Rollback, …): a target that runs no stage, added to the graph.</summary>
    public Cairn.CairnSession OpenHostTarget(string target, TextWriter output, params string[] arguments)
    {
        var graph = _graph.ToDictionary(g => g.Stage, g => (IReadOnlyList<string>)g.DependsOn);
        graph[target] = [];
        return Cairn.CairnSession.Open(Env.Root, "pipeline/pipeline.yaml", target, Arguments(arguments), graph, output, Observers, Host());
    }

    /// <summary>The pipeline as the engine plans it, without opening a run: for testing one part of the engine alone.</summary>
    public PipelinePlan Plan() =>
        PipelinePlan.Build(Cairn.Engine.Configuration.PipelineLoader.Load(Env.PathOf("pipeline/pipeline.yaml")), TargetGraph);

    /// <summary>The run options these arguments give, as a run would parse them (the workspace is made, nothing else).</summary>
    public RunOptions Options(params string[] arguments) =>
        RunArguments.Parse(Arguments(arguments), _graph[^1].Stage, Env.Root, Workspace, Raw, Plan().Stages.Select(s => s.Name).ToList(), () => null, name => Variables.GetValueOrDefault(name));

    private Cairn.Engine.Hosting.HostEnvironment Host() => new(name => Variables.GetValueOrDefault(name), OutputIsTerminal, Time) { FileClock = FileClock };

    private Dictionary<string, IReadOnlyList<string>> Arguments(string[] arguments)
    {
        // As Cake passes them: a bare switch (--force) has a null value; an argument given twice (--set) has both.
        var parsed = arguments.Select(a => a.TrimStart('-').Split('=', 2))
            .GroupBy(p => p[0])
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(p => p.Length > 1 ? p[1] : null!)]);
        parsed.TryAdd("workspace", [Workspace]);

        // Cells one at a time unless a test asks otherwise, so that what a run prints comes in one order.
        parsed.TryAdd("parallelism", ["1"]);
        parsed.TryAdd("raw", [Raw]);
        return parsed;
    }

    private RunOutcome RunStages(List<string> stages, string[] arguments, bool cancelOnCellStart = false)
    {
        var parsed = Arguments(arguments);
        var output = new WatchedOutput(LineWritten);
        var graph = _graph.ToDictionary(g => g.Stage, g => (IReadOnlyList<string>)g.DependsOn);
        CairnSession? session = null;
        var observers = cancelOnCellStart ? [.. Observers, new CellStartObserver((_, _) => session!.Cancel("cancelled by the test"))] : Observers;
        try
        {
            session = CairnSession.Open(Env.Root, "pipeline/pipeline.yaml", _graph[^1].Stage, parsed, graph, output, observers, Host());
        }
        catch (CairnUsageException e)
        {
            return new RunOutcome(output.ToString(), e, UsageError: true);
        }

        using (session)
        {
            Exception? failure = null;
            try
            {
                foreach (var stage in stages)
                {
                    session.RunStage(stage);
                }
            }
            catch (Exception e) when (e is StageFailedException or OperationCanceledException)
            {
                failure = e;
            }

            var exitCode = session.Finish(failure);
            return new RunOutcome(output.ToString(), failure, UsageError: false) { ExitCode = exitCode };
        }
    }

    public void Dispose() => Env.Dispose();
}
