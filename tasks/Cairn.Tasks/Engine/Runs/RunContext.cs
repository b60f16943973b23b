using Cairn.Engine.Checkpoints;
using Cairn.Engine.Governance;
using Cairn.Engine.Scan;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Runs;

/// <summary>What running a cell needs of the run it is part of.</summary>
internal sealed record RunContext(
    string RunId,
    string ToolVersion,
    string Environment,
    WorkspaceLayout Layout,
    FileHashes Hashes,
    CheckpointStore Checkpoints,
    KnownDirectories Directories,
    RunOutput Output,
    RunObservers Observers,
    CancellationToken Cancellation)
{
    /// <summary>What the run selected (<c>--partition</c>, <c>--from</c>/<c>--to</c>): the partitions a stage that fans out may land.</summary>
    public Stages.PartitionSelection Selection { get; init; } = Stages.PartitionSelection.All;

    /// <summary>The reviews of cells stopped at a gate (<c>review_on:</c>); none are filed when null.</summary>
    public ReviewStore? Reviews { get; init; }

    /// <summary>The evidence ledger gates and publications are written to; none when null.</summary>
    public Ledger? Ledger { get; init; }

    /// <summary>
    /// Binds and scans a cell again: the check after an attempt re-binds its globs, and a retry after an input moved
    /// (or could not be read) scans the cell afresh. Without it, the cell's inputs are compared as first bound.
    /// </summary>
    public CellScanner? Scanner { get; init; }

    /// <summary>The contract version each cell is built with; none recorded when null.</summary>
    public Engine.Plan.ContractVersions? Contracts { get; init; }

    /// <summary>The shared cache stale cells are looked up in and results uploaded to; none when null.</summary>
    public Engine.Cache.RemoteCache? Cache { get; init; }

    /// <summary>Where stale cells run: on Slurm with these settings; in this process when null.</summary>
    public Slurm.SlurmSettings? Slurm { get; init; }

    /// <summary>
    /// The run's stage logs, where a partitioned cell that logged only the default lines writes them; without it every
    /// cell has a log file of its own.
    /// </summary>
    public StageLogs? StageLogs { get; init; }

    /// <summary>Where the results of cells that ran go to be uploaded to <see cref="Cache"/>; none when null.</summary>
    public Engine.Cache.CacheUploads? Uploads { get; init; }

    /// <summary>The stage parameters this run sets on the command line (<c>--set</c>), which a failure of their stage names.</summary>
    public IReadOnlyList<Engine.Plan.ParameterOverride> ParameterOverrides { get; init; } = [];
}
