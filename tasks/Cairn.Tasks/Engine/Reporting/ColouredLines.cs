using System.Text;

namespace Cairn.Engine.Reporting;

/// <summary>
/// A console stream's writer that colours whole lines written with <c>WriteLine</c>, each by what it says (the
/// outcome of a run, a warning, a failure, a problem); everything else passes through untouched, so a status line
/// drawn with plain writes and carriage returns is unaffected. Only wrapped around a stream that should get colour
/// (<see cref="ConsoleColours"/>); the run log and every file get the plain text.
/// </summary>
internal sealed class ColouredLines : TextWriter
{
    private const string Red = "\u001b[31m";
    private const string Green = "\u001b[32m";
    private const string Yellow = "\u001b[33m";
    private const string Reset = "\u001b[0m";

    private readonly TextWriter _inner;
    private readonly bool _problems;

    /// <param name="inner">The stream written to.</param>
    /// <param name="problems">True for the error stream: every line is a problem and is red.</param>
    public ColouredLines(TextWriter inner, bool problems)
        : base(inner.FormatProvider)
    {
        _inner = inner;
        _problems = problems;
    }

    public override Encoding Encoding => _inner.Encoding;

    public override void Write(char value) => _inner.Write(value);

    public override void Write(string? value) => _inner.Write(value);

    public override void WriteLine() => _inner.WriteLine();

    public override void WriteLine(string? value)
    {
        if (value is null)
        {
            _inner.WriteLine();
            return;
        }

        // A summary arrives as one text of several lines; each is coloured on its own, so a reset never spans a newline.
        _inner.WriteLine(string.Join('\n', value.Split('\n').Select(Colour)));
    }

    public override void Flush() => _inner.Flush();

    /// <summary>The line with its colour codes, or unchanged when it says nothing that needs the eye.</summary>
    public string Colour(string line)
    {
        if (line.Length == 0)
        {
            return line;
        }

        if (_problems || line.StartsWith("  failed: ", StringComparison.Ordinal))
        {
            return Red + line + Reset;
        }

        if (line.StartsWith("warning: ", StringComparison.Ordinal) || line.StartsWith("Stale: ", StringComparison.Ordinal))
        {
            return Yellow + line + Reset;
        }

        if (line.StartsWith("Everything is up to date", StringComparison.Ordinal))
        {
            return Green + line + Reset;
        }

        if (line.StartsWith("Cairn run ", StringComparison.Ordinal))
        {
            foreach (var (word, status, colour) in new[] { (" succeeded in ", "succeeded", Green), (" failed in ", "failed", Red), (" cancelled in ", "cancelled", Yellow), (" awaiting approval after ", "awaiting approval", Yellow) })
            {
                var at = line.IndexOf(word, StringComparison.Ordinal);
                if (at > 0)
                {
                    return $"{line[..(at + 1)]}{colour}{status}{Reset}{line[(at + 1 + status.Length)..]}";
                }
            }
        }

        return line;
    }
}
