namespace Cairn.Engine.Hosting;

/// <summary>How one attempt of a hosted stage task ended.</summary>
internal sealed record StageOutcome(bool Succeeded, string? Failure, Exception? Exception, IReadOnlyDictionary<string, double> Metrics)
{
    /// <summary>The error codes the task logged (e.g. CAIRN4002), in order.</summary>
    public IReadOnlyList<string> ErrorCodes { get; init; } = [];

    /// <summary>Every error the task logged, in order.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>The attempt ran past the stage's timeout and was cancelled.</summary>
    public bool TimedOut { get; init; }

    /// <summary>The run was cancelled (Ctrl+C, SIGTERM, the run's timeout) while the attempt ran.</summary>
    public bool Cancelled { get; init; }

    /// <summary>The process running the attempt was lost (a Slurm task killed, its node failed, the job not submitted): transient.</summary>
    public bool Lost { get; init; }

    public static StageOutcome Failed(string failure, Exception? exception = null) => new(false, failure, exception, new Dictionary<string, double>());
}
