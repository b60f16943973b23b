using Microsoft.Build.Utilities;

namespace Cairn.Pipelines.Weather;

/// <summary>Logs an error with a Cairn code (CAIRNnnnn) the way MSBuild's own tasks log theirs.</summary>
internal static class CodedErrors
{
    public static void LogCoded(this TaskLoggingHelper log, string code, string message)
    {
        ArgumentNullException.ThrowIfNull(log);
        log.LogError(
            subcategory: null,
            errorCode: code,
            helpKeyword: null,
            file: null,
            lineNumber: 0,
            columnNumber: 0,
            endLineNumber: 0,
            endColumnNumber: 0,
            message: message);
    }
}
