using Cairn.Service.Pipelines;

namespace Cairn.Service.Hosting;

/// <summary>
/// What the service serves now: its arguments, where its own files are, and the pipelines as last read (replaced
/// whole when the pipeline files are read again, on SIGHUP or POST /api/schedules/reload).
/// </summary>
internal sealed class ServiceState
{
    private volatile IReadOnlyList<ServedPipeline> _pipelines;

    public ServiceState(ServiceArguments arguments, IReadOnlyList<ServedPipeline> pipelines, string home)
    {
        Arguments = arguments;
        _pipelines = pipelines;
        Home = home;
    }

    public ServiceArguments Arguments { get; }

    /// <summary>The folder of the service's own files: the workspace when it serves one pipeline, else the folder holding theirs.</summary>
    public string Home { get; }

    public string StateFolder => Path.Combine(Home, ".cairn");

    public string SchedulerDatabase => Path.Combine(StateFolder, Store.SchedulerDatabase.FileName);

    public string LogFile => Path.Combine(Home, "logs", "service.log");

    public IReadOnlyList<ServedPipeline> Pipelines => _pipelines;

    public ServedPipeline? Find(string name) => _pipelines.FirstOrDefault(p => p.Name == name);

    public void Replace(IReadOnlyList<ServedPipeline> pipelines) => _pipelines = pipelines;

    /// <summary>
    /// The service's home for these pipelines: the one workspace, or the folder every pipeline's workspace lies in
    /// (<c>--workspace</c>, default <c>work/</c>).
    /// </summary>
    public static string HomeOf(ServiceArguments arguments, IReadOnlyList<ServedPipeline> pipelines) =>
        pipelines.Count == 1 ? pipelines[0].Workspace : arguments.Workspace ?? Path.Combine(arguments.RepositoryRoot, "work");
}
