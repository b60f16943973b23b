namespace Cairn.Engine.Notifications;

/// <summary>How one delivery attempt ended: delivered, worth another try, or not (a wrong URL, a missing command).</summary>
internal sealed record AttemptOutcome(bool Delivered, bool Retry, string Detail)
{
    public static AttemptOutcome Success { get; } = new(true, false, "delivered");

    public static AttemptOutcome Transient(string detail) => new(false, true, detail);

    public static AttemptOutcome Permanent(string detail) => new(false, false, detail);
}
