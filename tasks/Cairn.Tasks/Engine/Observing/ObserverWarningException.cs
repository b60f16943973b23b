namespace Cairn.Engine.Observing;

/// <summary>
/// An observer has something to say that is not its failure (the run log was damaged, moved aside and started anew):
/// the run prints the message as a warning line, as it is.
/// </summary>
internal sealed class ObserverWarningException : Exception
{
    public ObserverWarningException(string message)
        : base(message)
    {
    }

    public ObserverWarningException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ObserverWarningException()
    {
    }
}
