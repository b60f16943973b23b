namespace Cairn.Engine.Notifications;

/// <summary>The lifecycle events a notifier can be told about, by the names a pipeline file and the payload use.</summary>
internal static class NotificationEvents
{
    public const string RunStarted = "run_started";
    public const string RunSucceeded = "run_succeeded";
    public const string RunFailed = "run_failed";
    public const string RunCancelled = "run_cancelled";

    /// <summary>A run ended with cells held for a person's approval of schema drift (exit code 3): not failed.</summary>
    public const string RunHeld = "run_held";
    public const string StageFailed = "stage_failed";

    /// <summary>A cell stopped at its gate (<c>review_on:</c>) and a review of it was filed for a person to decide.</summary>
    public const string ReviewRequested = "review_requested";

    /// <summary>The service ran a schedule's run, and its retries, and the last attempt failed too.</summary>
    public const string RunFailedPermanently = "run_failed_permanently";

    public static readonly IReadOnlyList<string> All = [RunStarted, RunSucceeded, RunFailed, RunCancelled, RunHeld, StageFailed, ReviewRequested, RunFailedPermanently];
}
