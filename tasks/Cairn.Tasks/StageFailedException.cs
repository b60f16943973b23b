namespace Cairn;

/// <summary>A stage failed for one cell. The message names the stage, the partition, the cause and the log; exit code 1.</summary>
public sealed class StageFailedException : Exception
{
    public StageFailedException(string message)
        : base(message)
    {
    }

    public StageFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public StageFailedException()
    {
    }
}
