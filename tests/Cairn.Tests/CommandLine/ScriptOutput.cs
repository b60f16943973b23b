using System.Text.RegularExpressions;

namespace Cairn.Tests.CommandLine;

/// <summary>A bootstrapper run's exit code and its two streams, and the same with what differs from run to run masked.</summary>
internal sealed partial record ScriptOutput(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The lines the bootstrapper itself says before a step: one per step, ending in an ellipsis.</summary>
    public string BootstrapLines => string.Concat(Stderr.ReplaceLineEndings("\n").Split('\n').Where(l => l.EndsWith('…')).Select(l => l + "\n"));

    /// <summary>Times, durations and run ids masked: two runs of the same command on the same state compare equal.</summary>
    public ScriptOutput Masked() => new(ExitCode, Mask(Stdout), Mask(Stderr));

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

    private static string Mask(string text)
    {
        text = RunId().Replace(text.ReplaceLineEndings("\n"), "<run id>");
        text = Clock().Replace(text, "<time>");
        return Duration().Replace(text, "<duration>");
    }

    [GeneratedRegex(@"\b\d{8}T\d{6}Z(-[0-9a-z]+)*")]
    private static partial Regex RunId();

    [GeneratedRegex(@"\b\d{1,2}:\d{2}:\d{2}(\.\d+)?\b|\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?")]
    private static partial Regex Clock();

    [GeneratedRegex(@"\b\d+(\.\d+)?\s?(ms|s|min|m|h)\b")]
    private static partial Regex Duration();
}
