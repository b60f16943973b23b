using Cairn.Engine.Hosting;

namespace Cairn.Engine.Reporting;

/// <summary>
/// Where a session writes: <see cref="Output"/> what a person reads (stdout), <see cref="Errors"/> problems
/// (stderr), <see cref="Document"/> a machine-readable document (stdout, never coloured). Colour codes only where
/// <see cref="ConsoleColours"/> allows them.
/// </summary>
internal sealed record ConsoleWriters(TextWriter Output, TextWriter Errors, TextWriter Document)
{
    /// <summary>The process's own console.</summary>
    /// <param name="host">Its environment variables, and whether stdout is a terminal.</param>
    /// <param name="documentOnStandardOutput">
    /// True when stdout must carry a document alone (<c>--format=json</c>): everything else, including what other code
    /// in the process writes to <see cref="Console.Out"/> from now on, goes to stderr.
    /// </param>
    public static ConsoleWriters OfProcess(HostEnvironment host, bool documentOnStandardOutput)
    {
        var stdout = Console.Out;
        var errors = Styled(Console.Error, ConsoleColours.Enabled(host.Variable, terminal: !Console.IsErrorRedirected), problems: true);
        if (documentOnStandardOutput)
        {
            Console.SetOut(Console.Error);
            return new ConsoleWriters(Styled(Console.Error, ConsoleColours.Enabled(host.Variable, terminal: !Console.IsErrorRedirected), problems: false), errors, stdout);
        }

        return new ConsoleWriters(Styled(stdout, ConsoleColours.Enabled(host.Variable, host.OutputIsTerminal), problems: false), errors, stdout);
    }

    /// <summary>Everything to one writer (tests, a host that captures the output), coloured only when the host asks for it.</summary>
    public static ConsoleWriters To(TextWriter output, HostEnvironment host) =>
        ConsoleColours.Enabled(host.Variable, host.OutputIsTerminal)
            ? new ConsoleWriters(new ColouredLines(output, problems: false), new ColouredLines(output, problems: true), output)
            : new ConsoleWriters(output, output, output);

    private static TextWriter Styled(TextWriter writer, bool colour, bool problems) => colour ? new ColouredLines(writer, problems) : writer;
}
