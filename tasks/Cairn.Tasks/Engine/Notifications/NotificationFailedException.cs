namespace Cairn.Engine.Notifications;

/// <summary>
/// A notification could not be delivered within its attempts and time. The run reports it as a warning line and goes
/// on: a notifier never fails the run it reports on.
/// </summary>
internal sealed class NotificationFailedException : Exception
{
    public NotificationFailedException(string message)
        : base(message)
    {
    }

    public NotificationFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public NotificationFailedException()
    {
    }
}
