namespace Cairn.Engine.Runs;

/// <summary>
/// A cell held for a person's review (schema drift) rather than failed: the run goes on with the cells that do not
/// read from it, and ends awaiting approval (exit code 3). The message says what waits and how to decide it.
/// </summary>
internal sealed class CellHeldException : Exception
{
    public CellHeldException(string message)
        : base(message)
    {
    }

    public CellHeldException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public CellHeldException()
    {
    }
}
