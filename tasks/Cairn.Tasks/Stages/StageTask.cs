using Microsoft.Build.Framework;

namespace Cairn.Stages;

/// <summary>
/// A convenient base for stage tasks: an MSBuild task that can be cancelled and logs coded errors. When the run is
/// cancelled (Ctrl+C, SIGTERM) or a cell outlives its timeout, the host calls <see cref="Cancel"/>; the stage calls
/// <see cref="ThrowIfCancelled"/> in its loops and so stops promptly. Under real MSBuild, Ctrl+C cancels it the same way.
/// A stage reports what is wrong with its input with <see cref="LogCodedError"/> (a code such as <c>CAIRN4003</c> and a
/// message that names the file and the fix) and returns <c>!Log.HasLoggedErrors</c> from <c>Execute</c>, as MSBuild's
/// own tasks do; a retry policy can name the codes worth another attempt.
/// </summary>
public abstract class StageTask : Microsoft.Build.Utilities.Task, ICancelableTask
{
    private volatile bool _cancelled;

    /// <summary>True once the stage was asked to stop.</summary>
    protected bool IsCancellationRequested => _cancelled;

    /// <inheritdoc/>
    public void Cancel() => _cancelled = true;

    /// <summary>Logs an error with its code (<c>CAIRN4003: l2 is -1; set it to 0 or a positive number in config/train.yaml</c>).</summary>
    /// <param name="code">The error's code, e.g. <c>CAIRN4003</c>, or a code of your own.</param>
    /// <param name="message">What is wrong, naming the file or parameter, and the fix.</param>
    /// <param name="file">The file the error is in, when there is one to point at.</param>
    protected void LogCodedError(string code, string message, string? file = null) =>
        Log.LogError(subcategory: null, code, helpKeyword: null, file, lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message);

    /// <summary>Logs a warning with its code, as <see cref="LogCodedError"/> logs an error.</summary>
    /// <param name="code">The warning's code, e.g. <c>CAIRN1101</c>.</param>
    /// <param name="message">What is odd, naming the file or parameter.</param>
    /// <param name="file">The file the warning is about, when there is one to point at.</param>
    protected void LogCodedWarning(string code, string message, string? file = null) =>
        Log.LogWarning(subcategory: null, code, helpKeyword: null, file, lineNumber: 0, columnNumber: 0, endLineNumber: 0, endColumnNumber: 0, message);

    /// <summary>The change to an input file this attempt proposed (<see cref="ProposeAmendment"/>), or null.</summary>
    internal InputAmendment? Amendment { get; private set; }

    /// <summary>
    /// Proposes a new text for one of the stage's input files, when the data has drifted from what that file declares
    /// (a contract missing a new column). Log the drift as an error too, naming the changes: the stage fails, and the
    /// engine holds its cell (and the cells that read from it, in that partition) for a person's review instead of
    /// failing the run for ever. Approving the review writes <paramref name="text"/> to the file, atomically.
    /// </summary>
    /// <param name="inputProperty">The <see cref="StageInputAttribute"/> property naming the file, e.g. <c>Contract</c>.</param>
    /// <param name="text">The file's whole new text.</param>
    /// <param name="changes">Each change in a sentence (<c>new column 'humidity' (number)</c>), for the review.</param>
    protected void ProposeAmendment(string inputProperty, string text, IReadOnlyList<string> changes)
    {
        ArgumentException.ThrowIfNullOrEmpty(inputProperty);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(changes);
        Amendment = new InputAmendment(inputProperty, text, [.. changes]);
    }

    /// <summary>Throws <see cref="OperationCanceledException"/> once the stage was asked to stop.</summary>
    protected void ThrowIfCancelled()
    {
        if (_cancelled)
        {
            throw new OperationCanceledException($"{GetType().Name} was asked to stop");
        }
    }
}
