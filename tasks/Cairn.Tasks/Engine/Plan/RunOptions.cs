namespace Cairn.Engine.Plan;

/// <summary>A run's validated arguments.</summary>
internal sealed record RunOptions(
    string Target,
    IReadOnlyList<string> Partitions,
    string RawDirectory,
    bool RawIsDefaultLandingZone,
    string WorkspaceDirectory,
    bool ForceAll,
    IReadOnlySet<string> ForcedStages,
    string Environment,
    IReadOnlyDictionary<string, string> Arguments)
{
    private readonly IReadOnlyList<string>? _allPartitions;
    private readonly IReadOnlyList<string> _partitions = Partitions;

    /// <summary>The partitions the run selected, in order: of the raw landing zone, or those a stage that fans out landed (<see cref="Landed"/>).</summary>
    public IReadOnlyList<string> Partitions
    {
        get => Landed?.Selected ?? _partitions;
        init => _partitions = value;
    }

    /// <summary>What <c>--partition</c> or <c>--from</c>/<c>--to</c> select; every partition without them.</summary>
    public Stages.PartitionSelection Selection { get; init; } = Stages.PartitionSelection.All;

    /// <summary>For a pipeline whose stage fans out: the partitions it landed, read again once it has run; null when the raw landing zone's partitions are the pipeline's.</summary>
    public Partitions.LandedPartitions? Landed { get; init; }

    /// <summary>Cells that do not depend on a failed cell still run; the run still fails.</summary>
    public bool KeepGoing { get; init; }

    /// <summary>Stages left out of this run; their recorded outputs must exist.</summary>
    public IReadOnlySet<string> SkippedStages { get; init; } = new HashSet<string>();

    /// <summary>How many cells of a partitioned stage run at once.</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>Fail at once instead of waiting when another run holds the workspace.</summary>
    public bool NoWait { get; init; }

    /// <summary>The whole run's time limit, if any.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Stage parameters set on the command line (<c>--set</c>), checked against the stages' declarations.</summary>
    public IReadOnlyList<ParameterOverride> ParameterOverrides { get; init; } = [];

    /// <summary>Every partition the landing zone has, in order; the selection when not given.</summary>
    public IReadOnlyList<string> AllPartitions
    {
        get => Landed?.All ?? _allPartitions ?? Partitions;
        init => _allPartitions = value;
    }

    /// <summary>The arguments that narrowed the selection (<c>--partition</c>, <c>--from/--to</c>); null when the run selects every partition.</summary>
    public string? SelectedBy { get; init; }

    /// <summary>The partitions a whole-dataset stage's <c>{each}</c> inputs expand to, by its <c>reads:</c> window.</summary>
    public IReadOnlyList<string> Window(Configuration.StageDefinition stage) => stage.Reads.Select(AllPartitions, Partitions, Scheme);

    /// <summary>How the landing zone is partitioned: the key, the grain and the raw files (the pipeline's <c>partitions:</c>).</summary>
    public Partitions.PartitionScheme Scheme { get; init; } = Engine.Partitions.PartitionScheme.Default;

    /// <summary>One warning per kind of folder in the raw landing zone that looks like a partition and is ignored.</summary>
    public IReadOnlyList<string> RawWarnings { get; init; } = [];

    /// <summary>The shared cache (<c>--cache</c>, the pipeline file's <c>cache:</c>, <c>CAIRN_CACHE</c>); none when null.</summary>
    public Engine.Cache.CacheSettings? Cache { get; init; }

    /// <summary>The Slurm executor's settings (<c>--executor=slurm</c>); cells run in this process when null.</summary>
    public Engine.Slurm.SlurmSettings? Slurm { get; init; }

    public bool IsForced(string stage) => ForceAll || ForcedStages.Contains(stage);
}
