using System.Text;

namespace Cairn.Engine.Reporting;

/// <summary>
/// A terminal's output with one status line kept at the bottom: every write first clears the status line, and it is
/// drawn again after each complete line, so progress and the run's own lines never run into each other. Only for a
/// terminal: it uses carriage returns.
/// </summary>
internal sealed class StatusLineWriter : TextWriter
{
    private readonly TextWriter _inner;
    private readonly Lock _gate = new();
    private string _status = string.Empty;
    private int _shown;

    public StatusLineWriter(TextWriter inner)
        : base(inner.FormatProvider)
    {
        _inner = inner;
    }

    public override Encoding Encoding => _inner.Encoding;

    /// <summary>Shows the text as the status line (an empty text removes it).</summary>
    public void SetStatus(string text)
    {
        lock (_gate)
        {
            Clear();
            _status = text;
            Draw();
            _inner.Flush();
        }
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            Clear();
            _inner.Write(value);
            if (value == '\n')
            {
                Draw();
            }
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            Clear();
            _inner.Write(value);
            if (value is not null && value.EndsWith('\n'))
            {
                Draw();
            }
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            Clear();
            _inner.WriteLine(value);
            Draw();
        }
    }

    public override void Flush()
    {
        lock (_gate)
        {
            _inner.Flush();
        }
    }

    private void Clear()
    {
        if (_shown > 0)
        {
            _inner.Write('\r' + new string(' ', _shown) + '\r');
            _shown = 0;
        }
    }

    private void Draw()
    {
        if (_status.Length > 0)
        {
            _inner.Write(_status);
            _shown = _status.Length;
        }
    }
}
