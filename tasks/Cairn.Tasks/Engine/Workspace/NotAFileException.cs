namespace Cairn.Engine.Workspace;

/// <summary>
/// A path that should be a regular file is a FIFO, a socket or a device: only regular files are inputs, since opening
/// or reading anything else can block for ever. Not transient: retrying does not make it a file.
/// </summary>
internal sealed class NotAFileException : IOException
{
    public NotAFileException(string filePath, string what)
        : base($"{filePath} is {what}, not a regular file")
    {
        FilePath = filePath;
        Reason = $"it is {what}, not a regular file; only regular files are inputs. Remove it, or rename it so that no input path matches it";
    }

    public NotAFileException()
    {
        FilePath = Reason = string.Empty;
    }

    public NotAFileException(string message)
        : base(message)
    {
        FilePath = Reason = string.Empty;
    }

    public NotAFileException(string message, Exception inner)
        : base(message, inner)
    {
        FilePath = Reason = string.Empty;
    }

    public string FilePath { get; }

    /// <summary>What is wrong and the fix, without the path.</summary>
    public string Reason { get; }
}
