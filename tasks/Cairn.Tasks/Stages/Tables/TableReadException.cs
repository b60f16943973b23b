namespace Cairn.Stages.Tables;

/// <summary>
/// An input file the built-in stages cannot read, for a reason in the file itself (never a transient I/O error,
/// which stays an <see cref="IOException"/>). The message names the file, what is wrong and the fix.
/// </summary>
internal sealed class TableReadException : Exception
{
    public TableReadException()
    {
    }

    public TableReadException(string message)
        : base(message)
    {
    }

    public TableReadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TableReadException(TableProblemKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public TableProblemKind Kind { get; }
}
