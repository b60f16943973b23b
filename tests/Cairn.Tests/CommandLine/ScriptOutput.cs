using System.Text.RegularExpressions;

namespace Cairn.Tests.CommandLine;

/// <summary>A bootstrapper run's exit code and its two streams, and the same with what differs from run to run masked.</summary>
internal sealed partial record ScriptOutput(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>
    /// The bootstrap's line for compiling Cake ahead of time into the machine-wide cache. The first run on the machine
    /// says it, whichever test that is, so claims about a repository's own bootstrap leave it out.
    /// </summary>
    public const string CompilingCakeLine = "Compiling Cake ahead of time for this machine (once per Cake version, about half a minute)…";

    /// <summary>The lines the bootstrapper itself says before a step of the repository's: one per step, ending in an ellipsis.</summary>
    public string BootstrapLines => string.Concat(Stderr.ReplaceLineEndings("\n").Split('\n').Where(l => l.EndsWith('…') && l != CompilingCakeLine).Select(l => l + "\n"));

    /// <summary>Times, durations and run ids masked, and <see cref="CompilingCakeLine"/> left out: two runs of the same command on the same state compare equal.</summary>
    public ScriptOutput Masked() => new(ExitCode, Mask(Stdout), Mask(WithoutCompilingCake(Stderr)));

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";

    /// <summary>The text without <see cref="CompilingCakeLine"/>.</summary>
    private static string WithoutCompilingCake(string text) =>
        text.ReplaceLineEndings("\n").Replace(CompilingCakeLine + "\n", string.Empty, StringComparison.Ordinal);

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
