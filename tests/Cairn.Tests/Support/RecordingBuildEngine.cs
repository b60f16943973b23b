using System.Collections;
using Microsoft.Build.Framework;

namespace Cairn.Tests.Support;

/// <summary>
/// A small build engine that records what a stage task logged, for hosting a task directly in a test.
/// </summary>
internal sealed class RecordingBuildEngine : IBuildEngine
{
    private readonly List<string> _errors = [];
    private readonly List<string> _warnings = [];
    private readonly List<string> _messages = [];

    public IReadOnlyList<string> Errors => _errors;

    public IReadOnlyList<string> Warnings => _warnings;

    public IReadOnlyList<string> Messages => _messages;

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => "test";

    public string Log => string.Join('\n', _errors.Concat(_warnings).Concat(_messages));

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) =>
        throw new NotSupportedException("stage tasks do not build projects");

    public void LogCustomEvent(CustomBuildEventArgs e) => _messages.Add(e.Message ?? string.Empty);

    public void LogErrorEvent(BuildErrorEventArgs e) => _errors.Add(string.IsNullOrEmpty(e.Code) ? e.Message ?? string.Empty : $"{e.Code}: {e.Message}");

    public void LogMessageEvent(BuildMessageEventArgs e) => _messages.Add(e.Message ?? string.Empty);

    public void LogWarningEvent(BuildWarningEventArgs e) => _warnings.Add(string.IsNullOrEmpty(e.Code) ? e.Message ?? string.Empty : $"{e.Code}: {e.Message}");

    /// <summary>Asserts that an error with the given code (e.g. "CAIRN2001") was logged and returns its text.</summary>
    public string AssertError(string code)
    {
        var hit = _errors.FirstOrDefault(e => e.StartsWith(code + ":", StringComparison.Ordinal));
        hit.ShouldNotBeNull($"expected an error {code}; logged errors: [{string.Join(" | ", _errors)}]");
        return hit;
    }

    public void AssertNoErrors() => _errors.ShouldBeEmpty();
}
