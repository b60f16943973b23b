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

    /// <summary>
    /// The review a person approved that let this failure at a gate pass (<c>review_on:</c>), or null: the result stands
    /// on that workspace's approval, so it is never shared through the cache.
    /// </summary>
    public string? PassedByReview { get; init; }

    /// <summary>
    /// The change to an input file the task proposed with its errors (schema drift), or null: the cell is held for a
    /// person's review of the change rather than failed.
    /// </summary>
    public Stages.InputAmendment? Amendment { get; init; }

    /// <summary>Why the cell is held for a person's review of its drift (<see cref="Amendment"/>), or null when it is not.</summary>
    public string? Held { get; init; }

    /// <summary>The run was cancelled (Ctrl+C, SIGTERM, the run's timeout) while the attempt ran.</summary>
    public bool Cancelled { get; init; }

    /// <summary>The process running the attempt was lost (a Slurm task killed, its node failed, the job not submitted): transient.</summary>
    public bool Lost { get; init; }

    public static StageOutcome Failed(string failure, Exception? exception = null) => new(false, failure, exception, new Dictionary<string, double>());
}
