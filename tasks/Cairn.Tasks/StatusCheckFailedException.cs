namespace Cairn;

/// <summary><c>--target=Status --check</c> found stale cells: a CI gate's failure, exit code 1. The status above it says which and why.</summary>
public sealed class StatusCheckFailedException : Exception
{
    public StatusCheckFailedException(string message)
        : base(message)
    {
    }

    public StatusCheckFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public StatusCheckFailedException()
    {
    }
}
