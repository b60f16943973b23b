namespace Cairn.Engine.Notifications;

/// <summary>
/// One lifecycle event as a notifier sends it: the webhook's JSON body (snake_case keys, absent values left out) and,
/// field by field, a command's <c>CAIRN_*</c> environment variables.
/// </summary>
internal sealed record NotificationEvent
{
    /// <summary>run_started, run_succeeded, run_failed, run_cancelled, run_held, stage_failed, review_requested or run_failed_permanently.</summary>
    public required string Event { get; init; }

    public required string RunId { get; init; }

    public required string Pipeline { get; init; }

    public required string Environment { get; init; }

    public required string Target { get; init; }

    /// <summary>running, succeeded, failed or cancelled.</summary>
    public required string Status { get; init; }

    /// <summary>The stage that failed (stage_failed; run_failed when a cell failed) or stopped at its gate (review_requested).</summary>
    public string? Stage { get; init; }

    /// <summary>The failed cell's partition, e.g. 2013-05-03; absent for a whole-dataset stage.</summary>
    public string? Partition { get; init; }

    public string? Cause { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The review filed, e.g. <c>r-1a2b3c4d</c> (review_requested).</summary>
    public string? Review { get; init; }

    /// <summary>What the gate stopped on, one coded error each (review_requested).</summary>
    public IReadOnlyList<string>? Breaches { get; init; }

    /// <summary>What started the run when the service ran it, e.g. <c>schedule:nightly</c> (run_failed_permanently).</summary>
    public string? Trigger { get; init; }

    /// <summary>How many runs were tried in all (run_failed_permanently).</summary>
    public int? Attempts { get; init; }

    /// <summary>The run's stages so far (run_succeeded, run_failed, run_cancelled, run_held).</summary>
    public IReadOnlyList<NotifiedStage>? Stages { get; init; }
}
