namespace Cairn.Engine.Notifications;

/// <summary>The lifecycle events a notifier can be told about, by the names a pipeline file and the payload use.</summary>
internal static class NotificationEvents
{
    public const string RunStarted = "run_started";
    public const string RunSucceeded = "run_succeeded";
    public const string RunFailed = "run_failed";
    public const string RunCancelled = "run_cancelled";
    public const string StageFailed = "stage_failed";

    public static readonly IReadOnlyList<string> All = [RunStarted, RunSucceeded, RunFailed, RunCancelled, StageFailed];
}
