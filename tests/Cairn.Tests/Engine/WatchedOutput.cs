namespace Cairn.Tests.Engine;

/// <summary>A run's output kept as text, with a callback for each line as it is written: a test can act on a line appearing.</summary>
internal sealed class WatchedOutput(Action<string>? lineWritten) : StringWriter
{
    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        lineWritten?.Invoke(value ?? string.Empty);
    }
}
