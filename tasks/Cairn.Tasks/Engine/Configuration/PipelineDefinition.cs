namespace Cairn.Engine.Configuration;

/// <summary>
/// A pipeline file (<c>pipeline.yaml</c>): its stages, where its tasks live and its sample data. Its
/// <c>Assembly</c> (<c>assembly:</c>) names where the pipeline's own stage tasks are, a project, an assembly file or an
/// assembly name; none when every stage is one of Cairn's built-in stages.
/// </summary>
internal sealed record PipelineDefinition(
    string Name,
    string FilePath,
    string Directory,
    string? Assembly,
    string? SamplePath,
    string PartitionColumn,
    IReadOnlyList<StageDefinition> Stages)
{
    /// <summary>Where the run's lifecycle events go (<c>notify:</c>); none when the file has no such list.</summary>
    public IReadOnlyList<NotifierDefinition> Notifiers { get; init; } = [];

    /// <summary>The target a run without <c>--target</c> runs (<c>default_target:</c>), else the last stage of the file.</summary>
    public string DefaultTarget { get; init; } = "";

    /// <summary>How many of the newest runs Prune keeps in the run log (<c>keep_runs:</c>); null keeps every run.</summary>
    public int? KeepRuns { get; init; }

    /// <summary>The shared cache of cell results the pipeline's runs use (<c>cache:</c>) unless <c>--cache</c> or <c>CAIRN_CACHE</c> names another; none when null.</summary>
    public string? Cache { get; init; }

    /// <summary>
    /// Where the pipeline's stale cells run and how (<c>executor:</c> and the <c>slurm:</c> block), by the argument
    /// each stands for (<c>executor</c>, <c>slurm-partition</c>, …); an argument given on the command line wins.
    /// </summary>
    public IReadOnlyDictionary<string, ConfiguredValue> Executor { get; init; } = new Dictionary<string, ConfiguredValue>(StringComparer.Ordinal);

    /// <summary>What starts runs when the service runs the pipeline (<c>schedules:</c>); none when the file has no such list.</summary>
    public IReadOnlyList<ScheduleDefinition> Schedules { get; init; } = [];

    /// <summary>Read-only folders the stages' paths may start from (<c>roots:</c>, <c>{reference}/…</c>), by name, as full paths checked to exist when the file is read.</summary>
    public IReadOnlyDictionary<string, string> Roots { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>How the landing zone is partitioned (<c>partitions:</c>): <c>date=YYYY-MM-DD/*.csv</c> unless the file says otherwise.</summary>
    public Partitions.PartitionScheme Partitions { get; init; } = Engine.Partitions.PartitionScheme.Default;

    /// <summary>The output of the stage that fans out (<c>fans_out: true</c>), whose partitions are the downstream stages'; null when no stage does and the raw landing zone's are.</summary>
    public Partitions.FanOutLayout? FanOut => Stages.Select(s => s.FanOut).FirstOrDefault(f => f is not null);

    public StageDefinition? FindStage(string name) =>
        Stages.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));
}
