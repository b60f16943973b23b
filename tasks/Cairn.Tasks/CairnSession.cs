using Cairn.Engine.Configuration;
using Cairn.Engine.Hosting;
using Cairn.Engine.Observing;
using Cairn.Engine.Partitions;
using Cairn.Engine.Reporting;
using Cairn.Engine.Runs;

namespace Cairn;

/// <summary>
/// The whole surface a DAG host (the Cake script) uses: open a run with the command-line arguments and the target
/// graph, run stages in dependency order, finish. Knows nothing of Cake, so another host could drive it the same way.
/// </summary>
public sealed class CairnSession : IDisposable
{
    private readonly PipelineRun _run;
    private readonly IReadOnlyList<IRunObserver> _ownObservers;

    private CairnSession(PipelineRun run, IReadOnlyList<IRunObserver> ownObservers)
    {
        _run = run;
        _ownObservers = ownObservers;
    }

    /// <summary>The workspace this run writes to.</summary>
    public string Workspace => _run.Options.WorkspaceDirectory;

    /// <summary>The selected partitions, in order.</summary>
    public IReadOnlyList<string> Partitions => _run.Options.Partitions;

    /// <summary>
    /// Validates the pipeline, the target graph and every argument together, before any stage runs.
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
        TextWriter? output = null) =>
        Open(repositoryRoot, pipelineFile, target, arguments, targetGraph, output, [], HostEnvironment.OfProcess(output is null && !Console.IsOutputRedirected));

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

        var options = RunArguments.Parse(
            arguments,
            target,
            defaultWorkspace: Path.Combine(repositoryRoot, "work"),
            defaultRaw: Path.Combine(repositoryRoot, "work", "landing"),
            stageNames: plan.Stages.Select(s => s.Name).ToList(),
            ensureDefaultRaw: raw => definition.SamplePath is not null && LandingZone.EnsureCreated(definition.SamplePath, definition.PartitionColumn, raw),
            environmentVariable: host.Variable);
        var reporting = RunReporting.Attach(plan, host, output ?? Console.Out);
        return new CairnSession(new PipelineRun(options, plan, reporting.Output, [.. observers, .. reporting.Observers]), reporting.Observers);
    }

    /// <summary>Decides and runs every cell of one stage for the selected partitions.</summary>
    /// <exception cref="StageFailedException">A cell failed; the message names the stage, the partition, the cause and the log.</exception>
    public void RunStage(string stage) => _run.RunStage(stage);

    /// <summary>Prints the run's summary. Pass the exception that ended the run, if one did.</summary>
    public void Finish(Exception? failure) => _run.Finish(failure);

    /// <inheritdoc/>
    public void Dispose()
    {
        _run.Dispose();
        foreach (var observer in _ownObservers.OfType<IDisposable>())
        {
            observer.Dispose();
        }
    }
}
