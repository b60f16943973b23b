using System.Text;

namespace Cairn.Engine.Reporting;

/// <summary>
/// Writes what a session prints with its control characters escaped (<see cref="ControlCharacters"/>), in front of the
/// console's own writers: the colour codes and the status line those add, after it, stay as they are.
/// </summary>
internal sealed class EscapingWriter : TextWriter
{
    private readonly TextWriter _inner;

    public EscapingWriter(TextWriter inner)
        : base(inner.FormatProvider) => _inner = inner;

    public override Encoding Encoding => _inner.Encoding;

    public override void Write(char value) => _inner.Write(ControlCharacters.Escape(value.ToString()));

    public override void Write(string? value) => _inner.Write(value is null ? null : ControlCharacters.Escape(value));

    public override void WriteLine() => _inner.WriteLine();

    public override void WriteLine(string? value) => _inner.WriteLine(value is null ? null : ControlCharacters.Escape(value));

    public override void Flush() => _inner.Flush();

    protected override void Dispose(bool disposing)
    {
        // The console's writers outlive the session: only flush them.
        if (disposing)
        {
            _inner.Flush();
        }

        base.Dispose(disposing);
    }
}
