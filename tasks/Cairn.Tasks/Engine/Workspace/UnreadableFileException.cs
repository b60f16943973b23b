namespace Cairn.Engine.Workspace;

/// <summary>
/// Reading a file to hash it failed (an I/O error such as EIO, or no permission), naming the file: the exception .NET
/// gives for a failed read often does not. The original is kept as the inner exception.
/// </summary>
internal sealed class UnreadableFileException : IOException
{
    public UnreadableFileException(string filePath, Exception inner)
        : base($"{filePath} could not be read: {inner?.Message}", inner)
    {
        FilePath = filePath;
        Reason = inner?.Message ?? "it could not be read";
    }

    public UnreadableFileException()
    {
        FilePath = Reason = string.Empty;
    }

    public UnreadableFileException(string message)
        : base(message)
    {
        FilePath = string.Empty;
        Reason = message;
    }

    public string FilePath { get; }

    /// <summary>What went wrong, without the path.</summary>
    public string Reason { get; }
}
