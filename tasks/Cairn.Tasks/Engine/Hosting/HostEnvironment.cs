namespace Cairn.Engine.Hosting;

/// <summary>
/// What a run learns from the process that hosts it: environment variables, whether its output is a terminal, and
/// the clock. Passed in rather than read globally, so tests run in parallel can each give their own.
/// </summary>
internal sealed record HostEnvironment(Func<string, string?> Variable, bool OutputIsTerminal, TimeProvider Time)
{
    /// <summary>
    /// The clock a file's age is judged by (the stat cache's racy rule), apart from <see cref="Time"/>: a test may
    /// move it ahead of the file system's timestamps instead of waiting, and still keep a manual run clock.
    /// </summary>
    public TimeProvider FileClock { get; init; } = TimeProvider.System;

    /// <summary>The id the run takes, when the host chose it beforehand (the service answers a request with it); else made when the run begins.</summary>
    public string? RunId { get; init; }

    /// <summary>The real process: its environment variables and the system clock.</summary>
    public static HostEnvironment OfProcess(bool outputIsTerminal) => new(Environment.GetEnvironmentVariable, outputIsTerminal, TimeProvider.System);

    /// <summary>
    /// Where relative paths given on the command line start: the directory the user ran <c>build.sh</c> from (the
    /// bootstrappers export it as <c>CAIRN_CALLER_DIRECTORY</c>, since Cake moves into <c>build/</c>), otherwise the
    /// process's current directory, as for any relative path.
    /// </summary>
    public string CallerDirectory =>
        Variable(CairnSession.CallerDirectoryVariable) is { Length: > 0 } caller && Path.IsPathFullyQualified(caller) ? caller : Environment.CurrentDirectory;

    /// <summary>True when the variable is set to <c>true</c> (any case), as CI services set <c>CI</c> and <c>GITHUB_ACTIONS</c>.</summary>
    public bool IsTrue(string name) => string.Equals(Variable(name), "true", StringComparison.OrdinalIgnoreCase);
}
