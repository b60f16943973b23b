namespace Cairn.Engine.Reporting;

/// <summary>GitHub Actions workflow commands (<c>::group::</c>, <c>::error …::</c>) with their values escaped as the runner expects.</summary>
internal static class WorkflowCommands
{
    public static string Group(string title) => "::group::" + Data(title);

    public const string EndGroup = "::endgroup::";

    public static string Error(string title, string message) => $"::error title={Property(title)}::{Data(message)}";

    public static string Warning(string title, string message) => $"::warning title={Property(title)}::{Data(message)}";

    /// <summary>A message: a line break would end the command, a percent sign would start an escape.</summary>
    private static string Data(string text) =>
        text.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    /// <summary>A property value: also its separators, ':' and ','.</summary>
    private static string Property(string text) =>
        Data(text).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);
}
