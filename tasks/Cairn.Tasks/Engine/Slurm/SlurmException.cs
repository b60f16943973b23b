namespace Cairn.Engine.Slurm;

/// <summary>A Slurm command failed or could not be run; the message says what it said and what to check.</summary>
internal sealed class SlurmException : Exception
{
    public SlurmException(string message)
        : base(message)
    {
    }

    public SlurmException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public SlurmException()
    {
    }
}
