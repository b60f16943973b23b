namespace Cairn.Engine.Notifications;

/// <summary>
/// A notification could not be delivered within its attempts and time. The run reports it as a warning line naming
/// the notifier and goes on: a notifier never fails the run it reports on.
/// </summary>
internal sealed class NotificationFailedException : Exception
{
    public NotificationFailedException(string notifier, string message, Exception? inner = null)
        : base(message, inner)
    {
        Notifier = notifier;
    }

    public NotificationFailedException(string message)
        : base(message)
    {
        Notifier = "notify";
    }

    public NotificationFailedException(string message, Exception inner)
        : base(message, inner)
    {
        Notifier = "notify";
    }

    public NotificationFailedException()
    {
        Notifier = "notify";
    }

    /// <summary>Who could not deliver: the notifier's type (WebhookNotifier, CommandNotifier), as warnings name it.</summary>
    public string Notifier { get; }
}
