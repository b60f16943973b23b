namespace Cairn.Engine.Slurm;

/// <summary>
/// How a run submits its stale cells to Slurm (<c>--executor=slurm</c>): the <c>sbatch</c> options every job gets, how
/// many cells one array task runs, and how long a job may stay pending before its cells fail.
/// </summary>
/// <param name="Partition">The Slurm partition (queue), <c>--slurm-partition</c>; the cluster's default when null.</param>
/// <param name="Account">The account charged, <c>--slurm-account</c>; the user's default when null.</param>
/// <param name="Time">Each array task's time limit in Slurm's own form (<c>30</c>, <c>1:00:00</c>), <c>--slurm-time</c>.</param>
/// <param name="Memory">Each array task's memory (<c>2G</c>), <c>--slurm-mem</c>.</param>
/// <param name="ExtraFlags">More <c>sbatch</c> options, passed as given (<c>--slurm-flags</c>, split at spaces).</param>
/// <param name="CellsPerTask">How many cells one array task runs: a cell takes milliseconds, a Slurm job seconds.</param>
/// <param name="PendingLimit">How long an array task may wait in the queue before it is cancelled and its cells fail.</param>
internal sealed record SlurmSettings(
    string? Partition,
    string? Account,
    string? Time,
    string? Memory,
    IReadOnlyList<string> ExtraFlags,
    int CellsPerTask,
    TimeSpan PendingLimit)
{
    public const int DefaultCellsPerTask = 64;

    public static readonly TimeSpan DefaultPendingLimit = TimeSpan.FromMinutes(10);

    /// <summary>The <c>sbatch</c> options Cairn sets itself on every job.</summary>
    public static readonly IReadOnlyList<string> ReservedFlags = ["--array", "-a", "--output", "-o", "--error", "-e", "--wait", "-W", "--parsable", "--wrap"];

    /// <summary>How often the queue is asked about a job: never faster than once a second.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>The <c>sbatch</c> options these settings give every job, before the job's own.</summary>
    public IEnumerable<string> SbatchOptions()
    {
        if (Partition is not null)
        {
            yield return "--partition=" + Partition;
        }

        if (Account is not null)
        {
            yield return "--account=" + Account;
        }

        if (Time is not null)
        {
            yield return "--time=" + Time;
        }

        if (Memory is not null)
        {
            yield return "--mem=" + Memory;
        }

        foreach (var flag in ExtraFlags)
        {
            yield return flag;
        }
    }
}
