using System.Text;

namespace Cairn.Service.Hosting;

/// <summary>A writer that hands each complete line to an action: a run's console output into the service's log.</summary>
internal sealed class LineWriter : TextWriter
{
    private readonly Action<string> _line;
    private readonly StringBuilder _pending = new();
    private readonly Lock _gate = new();

    public LineWriter(Action<string> line) => _line = line;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                var line = _pending.ToString().TrimEnd('\r');
                _pending.Clear();
                _line(line);
            }
            else
            {
                _pending.Append(value);
            }
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? string.Empty)
        {
            Write(c);
        }
    }

    public override void WriteLine(string? value)
    {
        Write(value);
        Write('\n');
    }

    public override void Flush()
    {
        lock (_gate)
        {
            if (_pending.Length > 0)
            {
                _line(_pending.ToString());
                _pending.Clear();
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }
}
