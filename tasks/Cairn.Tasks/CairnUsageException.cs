namespace Cairn;

/// <summary>The command line or the pipeline cannot be used as given. Shown as just the message; exit code 2.</summary>
public sealed class CairnUsageException : Exception
{
    public CairnUsageException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems)) => Problems = problems;

    public CairnUsageException(string message)
        : this([message])
    {
    }

    public CairnUsageException(string message, Exception inner)
        : base(message, inner) => Problems = [message];

    public CairnUsageException()
        : this("invalid usage")
    {
    }

    public IReadOnlyList<string> Problems { get; }

    /// <summary>The process exit code for a usage error.</summary>
    public const int ExitCode = 2;
}
