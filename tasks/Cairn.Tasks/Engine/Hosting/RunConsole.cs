using Cairn.Engine.Reporting;

namespace Cairn.Engine.Hosting;

/// <summary>
/// The run's console: one line at a time, whole lines only, safe to call from several threads; control characters a
/// line carries from data are escaped, on the console and in the run log alike.
/// </summary>
internal sealed class RunConsole
{
    private readonly TextWriter _out;
    private readonly TextWriter? _runLog;
    private readonly Lock _gate = new();

    public RunConsole(TextWriter output, TextWriter? runLog)
    {
        _out = output;
        _runLog = runLog;
    }

    public void Line(string text)
    {
        text = ControlCharacters.Escape(text);
        lock (_gate)
        {
            _out.WriteLine(text);
            _runLog?.WriteLine(text);
        }
    }

    /// <summary>Writes to the run log only (details too long for the console).</summary>
    public void Detail(string text)
    {
        text = ControlCharacters.Escape(text);
        lock (_gate)
        {
            _runLog?.WriteLine(text);
        }
    }

    public void Flush()
    {
        lock (_gate)
        {
            _out.Flush();
            _runLog?.Flush();
        }
    }
}
