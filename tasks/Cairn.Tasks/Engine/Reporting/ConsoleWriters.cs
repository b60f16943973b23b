using System.Globalization;
using System.Text;
using Cairn.Engine.Hosting;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Engine.Reporting;

/// <summary>
/// Where a session writes: <see cref="Output"/> what a person reads (stdout), <see cref="Errors"/> problems
/// (stderr), <see cref="Document"/> a machine-readable document (stdout, never coloured). Colour codes only where
/// <see cref="ConsoleColours"/> allows them.
/// </summary>
internal sealed record ConsoleWriters(TextWriter Output, TextWriter Errors, TextWriter Document)
{
    /// <summary>The file descriptor that <c>build.sh</c> keeps the real stdout on under <c>--format=json</c>.</summary>
    public const string DocumentDescriptorVariable = "CAIRN_DOCUMENT_FD";

    /// <summary>
    /// The file that <c>build.ps1</c> has the document written to under <c>--format=json</c> (PowerShell cannot hand a
    /// child a descriptor beyond stdout and stderr); the script copies it to its stdout once Cake has ended.
    /// </summary>
    public const string DocumentFileVariable = "CAIRN_DOCUMENT_FILE";

    /// <summary>The process's own console.</summary>
    /// <param name="host">Its environment variables, and whether stdout is a terminal.</param>
    /// <param name="documentOnStandardOutput">
    /// True when stdout must carry a document alone (<c>--format=json</c>): everything else, including what other code
    /// in the process writes to <see cref="Console.Out"/> from now on, goes to stderr. When the bootstrapper has already
    /// sent the whole process's stdout to stderr (so that Cake's own lines before the script cannot reach the
    /// document), it names the real stdout's file descriptor in <see cref="DocumentDescriptorVariable"/>, or a file
    /// to write the document to in <see cref="DocumentFileVariable"/>.
    /// </param>
    public static ConsoleWriters OfProcess(HostEnvironment host, bool documentOnStandardOutput)
    {
        var stdout = Console.Out;
        var errors = Styled(Console.Error, ConsoleColours.Enabled(host.Variable, terminal: !Console.IsErrorRedirected), problems: true);
        if (documentOnStandardOutput)
        {
            Console.SetOut(Console.Error);
            var document = DocumentDescriptor(host) is { } descriptor
                ? new StreamWriter(new FileStream(new SafeFileHandle(descriptor, ownsHandle: false), FileAccess.Write, bufferSize: 0), new UTF8Encoding(false)) { AutoFlush = true }
                : host.Variable(DocumentFileVariable) is { Length: > 0 } file
                    ? new StreamWriter(new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0), new UTF8Encoding(false)) { AutoFlush = true }
                    : stdout;
            return new ConsoleWriters(Styled(Console.Error, ConsoleColours.Enabled(host.Variable, terminal: !Console.IsErrorRedirected), problems: false), errors, document);
        }

        return new ConsoleWriters(Styled(stdout, ConsoleColours.Enabled(host.Variable, host.OutputIsTerminal), problems: false), errors, stdout);
    }

    /// <summary>Everything to one writer (tests, a host that captures the output), coloured only when the host asks for it.</summary>
    public static ConsoleWriters To(TextWriter output, HostEnvironment host) =>
        ConsoleColours.Enabled(host.Variable, host.OutputIsTerminal)
            ? new ConsoleWriters(new ColouredLines(output, problems: false), new ColouredLines(output, problems: true), output)
            : new ConsoleWriters(output, output, output);

    /// <summary>The descriptor named by <see cref="DocumentDescriptorVariable"/>, or null when none (or not a number above 2).</summary>
    private static IntPtr? DocumentDescriptor(HostEnvironment host) =>
        int.TryParse(host.Variable(DocumentDescriptorVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var descriptor) && descriptor > 2
            ? descriptor
            : null;

    private static TextWriter Styled(TextWriter writer, bool colour, bool problems) => colour ? new ColouredLines(writer, problems) : writer;
}
