using Cairn.Engine.Configuration;
using Cairn.Engine.Hosting;
using Cairn.Engine.Plan;

namespace Cairn;

/// <summary>
/// The pipeline a run is for, read before the host defines its targets: which pipeline file <c>--pipeline</c> chose,
/// and its stages in data-flow order, each with its description and the stages it reads from. A host makes one target
/// per stage from it (the graph is written once, in the pipeline file), then opens a <see cref="CairnSession"/> for it.
/// </summary>
public sealed class CairnPipeline
{
    private CairnPipeline(string repositoryRoot, PipelineDefinition definition, IReadOnlyList<CairnStage> stages)
    {
        RepositoryRoot = repositoryRoot;
        Definition = definition;
        Stages = stages;
    }

    /// <summary>The pipeline's name (its folder under <c>pipelines/</c>).</summary>
    public string Name => Definition.Name;

    /// <summary>The pipeline file.</summary>
    public string File => Definition.FilePath;

    /// <summary>The target a run without <c>--target</c> runs: the pipeline file's <c>default_target</c>, else its last stage.</summary>
    public string DefaultTarget => Definition.DefaultTarget;

    /// <summary>Every stage, after the stages it reads from, otherwise in the order of the pipeline file.</summary>
    public IReadOnlyList<CairnStage> Stages { get; }

    internal string RepositoryRoot { get; }

    internal PipelineDefinition Definition { get; }

    /// <summary>
    /// Chooses the pipeline (<c>--pipeline=NAME</c> is <c>pipelines/NAME/pipeline.yaml</c>, <c>--pipeline=PATH</c> a
    /// pipeline file; without it, the repository's only pipeline), reads it and derives its data flow.
    /// </summary>
    /// <param name="repositoryRoot">The repository, whose <c>pipelines/</c> folder holds one folder per pipeline.</param>
    /// <param name="arguments">Every <c>--name=value</c> argument, by name; only <c>--pipeline</c> is read here.</param>
    /// <exception cref="CairnUsageException">
    /// No such pipeline (the message lists the ones there are), a pipeline file that cannot be read or is in the wrong
    /// place, or a data flow with a cycle (the message names its path); the message says how to fix each problem.
    /// </exception>
    public static CairnPipeline Select(string repositoryRoot, IReadOnlyDictionary<string, IReadOnlyList<string>> arguments) =>
        Select(repositoryRoot, arguments, HostEnvironment.OfProcess(outputIsTerminal: false));

    internal static CairnPipeline Select(string repositoryRoot, IReadOnlyDictionary<string, IReadOnlyList<string>> arguments, HostEnvironment host)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var given = arguments.FirstOrDefault(a => string.Equals(a.Key.TrimStart('-'), PipelineSelection.Argument, StringComparison.OrdinalIgnoreCase)).Value;
        var file = PipelineSelection.File(Path.GetFullPath(repositoryRoot), given is { Count: > 0 } ? given[^1] : null, host.CallerDirectory);
        return Load(repositoryRoot, file);
    }

    /// <summary>Reads a pipeline file and derives its data flow; a usage error with every problem otherwise.</summary>
    internal static CairnPipeline Load(string repositoryRoot, string file)
    {
        PipelineDefinition definition;
        try
        {
            definition = PipelineLoader.Load(file);
        }
        catch (CairnConfigurationException e)
        {
            throw new CairnUsageException(e.Message, e);
        }

        var problems = new List<string>();
        if (PipelineSelection.FolderProblem(repositoryRoot, definition) is { } misplaced)
        {
            problems.Add(misplaced);
        }

        var flow = DataFlow.Of(definition);
        problems.AddRange(flow.Problems);
        if (problems.Count > 0)
        {
            throw new CairnUsageException(problems);
        }

        var stages = DataFlow.Order(definition.Stages, s => s.Name, s => flow.Producers[s.Name])
            .Select(s => new CairnStage(s.Name, s.Description ?? string.Empty, flow.Producers[s.Name]))
            .ToList();
        return new CairnPipeline(Path.GetFullPath(repositoryRoot), definition, stages);
    }
}
