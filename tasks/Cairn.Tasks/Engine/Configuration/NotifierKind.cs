namespace Cairn.Engine.Configuration;

/// <summary>How a notifier delivers a run's lifecycle events.</summary>
internal enum NotifierKind
{
    /// <summary>A JSON POST to a URL.</summary>
    Webhook,

    /// <summary>A shell command, with the event in environment variables.</summary>
    Command,
}
