using Cairn.Engine.Configuration;
using Cairn.Engine.Hosting;
using Cairn.Engine.Plan;
using Cairn.Service.Hosting;
using Cairn.Service.Scheduling;

namespace Cairn.Service.Pipelines;

/// <summary>
/// Finds and checks the pipelines the service runs, through the engine: the pipeline file (with its schedules), the
/// stage tasks and the data flow, and the arguments every run will take, as a run would check them. Every problem of
/// every pipeline is reported at once.
/// </summary>
internal static class PipelineCatalog
{
    /// <exception cref="CairnUsageException">A pipeline cannot be found or used, or a schedule is wrong.</exception>
    public static IReadOnlyList<ServedPipeline> Load(ServiceArguments arguments)
    {
        var problems = new List<string>();
        var files = Files(arguments, problems);
        if (problems.Count > 0)
        {
            throw new CairnUsageException(problems);
        }

        var pipelines = new List<ServedPipeline>();
        var several = files.Count > 1;
        if (several && arguments.Raw is null)
        {
            throw new CairnUsageException(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The service runs {files.Count:N0} pipelines ({string.Join(", ", files.Select(f => Path.GetRelativePath(arguments.RepositoryRoot, f)))}); pass --raw=DIR, and each reads its landing zone from DIR/NAME."));
        }

        foreach (var file in files)
        {
            try
            {
                var definition = PipelineLoader.Load(file);
                var home = arguments.Workspace ?? Path.Combine(arguments.RepositoryRoot, "work");
                var run = new Dictionary<string, string>(arguments.RunArguments, StringComparer.Ordinal);
                if (several)
                {
                    run["workspace"] = Path.Combine(home, definition.Name);
                    run["raw"] = Path.Combine(arguments.Raw!, definition.Name);
                }
                else
                {
                    if (arguments.Workspace is not null)
                    {
                        run["workspace"] = arguments.Workspace;
                    }

                    if (arguments.Raw is not null)
                    {
                        run["raw"] = arguments.Raw;
                    }
                }

                pipelines.Add(Check(arguments.RepositoryRoot, file, definition, run));
            }
            catch (CairnConfigurationException e)
            {
                problems.Add(e.Message);
            }
            catch (CairnUsageException e)
            {
                problems.AddRange(e.Problems);
            }
        }

        foreach (var duplicate in pipelines.GroupBy(p => p.Name).Where(g => g.Count() > 1))
        {
            problems.Add($"Two pipeline files are named '{duplicate.Key}' ({string.Join(", ", duplicate.Select(p => p.File))}); give each pipeline its own name.");
        }

        foreach (var pipeline in pipelines)
        {
            ScheduleChecks.Check(pipeline, pipelines.Select(p => p.Name).ToList(), problems);
        }

        if (problems.Count > 0)
        {
            throw new CairnUsageException(problems);
        }

        return pipelines;
    }

    /// <summary>The engine's host environment for a run the service starts: the process's, with the trigger and the run id it chose.</summary>
    public static HostEnvironment Host(string? trigger = null, string? runId = null) =>
        new(name => name == Cairn.Engine.Observing.RunProvenance.TriggeredByVariable && trigger is not null ? trigger : Environment.GetEnvironmentVariable(name), false, TimeProvider.System)
        {
            RunId = runId,
        };

    /// <summary>Opens a session that runs nothing (Status), which checks the pipeline and the run's arguments as a run would.</summary>
    public static CairnSession OpenForReading(string repositoryRoot, string file, IReadOnlyDictionary<string, IReadOnlyList<string>> targetGraph, IReadOnlyDictionary<string, string> arguments) =>
        CairnSession.Open(repositoryRoot, file, "Status", Engine(arguments), targetGraph, TextWriter.Null, [], Host());

    public static Dictionary<string, IReadOnlyList<string>> Engine(IEnumerable<KeyValuePair<string, string>> arguments) =>
        arguments.ToDictionary(a => a.Key, a => (IReadOnlyList<string>)[a.Value], StringComparer.Ordinal);

    private static ServedPipeline Check(string repositoryRoot, string file, PipelineDefinition definition, Dictionary<string, string> run)
    {
        var stageGraph = DataFlowTargets.Of(definition);
        var graph = new Dictionary<string, IReadOnlyList<string>>(stageGraph, StringComparer.Ordinal) { ["Status"] = [] };
        using var session = OpenForReading(repositoryRoot, file, graph, run);

        // Every run names its workspace, so what the engine chose by default stays what the service watches and reads.
        run["workspace"] = session.Options.WorkspaceDirectory;
        return new ServedPipeline(definition.Name, definition.FilePath, definition, stageGraph, session.Plan.DataFlowOrder, session.Options.WorkspaceDirectory, session.Options.RawDirectory, run);
    }

    private static List<string> Files(ServiceArguments arguments, List<string> problems)
    {
        var folder = Path.Combine(arguments.RepositoryRoot, "pipelines");
        var found = Directory.Exists(folder)
            ? Directory.EnumerateDirectories(folder).Select(d => Path.Combine(d, "pipeline.yaml")).Where(File.Exists).Order(StringComparer.Ordinal).ToList()
            : [];
        if (arguments.Pipelines.Count == 0)
        {
            if (found.Count == 0)
            {
                problems.Add($"No pipeline to serve: {folder} holds no NAME/pipeline.yaml; pass --pipeline=FILE.");
            }

            return found;
        }

        var files = new List<string>();
        foreach (var given in arguments.Pipelines)
        {
            var isPath = given.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || given.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || given.Contains('/', StringComparison.Ordinal);
            var file = isPath ? Path.GetFullPath(given, arguments.BaseDirectory) : Path.Combine(folder, given, "pipeline.yaml");
            if (!File.Exists(file))
            {
                var names = found.Select(f => Path.GetFileName(Path.GetDirectoryName(f)!));
                problems.Add($"--pipeline={given}: {file} does not exist; the pipelines under {folder} are {(found.Count == 0 ? "none" : string.Join(", ", names))}.");
                continue;
            }

            files.Add(Path.GetFullPath(file));
        }

        return files.Distinct(StringComparer.Ordinal).ToList();
    }
}
