using System.Collections;
using System.Globalization;
using Microsoft.Build.Framework;

namespace Cairn.Engine.Hosting;

/// <summary>
/// The build engine a stage task runs against when Cairn hosts it in-process. Every message goes to the cell's
/// log (<see cref="CellLog"/>); warnings, errors and high-importance messages also go to the console, prefixed with
/// the cell, and give the cell a log file of its own, which the console names. They reach the console up to
/// <see cref="ConsoleLimit"/> of them: a file with ten thousand bad columns is ten lines and a count on the console,
/// and all of it in the log. Control characters from data are escaped everywhere.
/// </summary>
internal sealed class StageBuildEngine : IBuildEngine, IDisposable
{
    /// <summary>How many of one attempt's messages reach the console; the rest are counted there and kept in the log.</summary>
    public const int ConsoleLimit = 10;

    private readonly CellLog _log;
    private readonly RunConsole _console;
    private readonly string _label;
    private readonly string _logShown;
    private readonly List<string> _errors = [];
    private readonly List<string> _errorCodes = [];
    private int _shown;
    private int _held;

    /// <param name="logPath">The cell's log file, in a folder that exists, written from the start.</param>
    /// <param name="console">The run's console.</param>
    /// <param name="label">The cell, as console lines name it.</param>
    public StageBuildEngine(string logPath, RunConsole console, string label)
        : this(new CellLog(logPath, ownFile: true), console, label)
    {
    }

    /// <param name="log">The cell's log; the engine closes it when disposed (what it holds in memory stays to be taken).</param>
    /// <param name="console">The run's console.</param>
    /// <param name="label">The cell, as console lines name it.</param>
    /// <param name="logShown">The log as the console names it (workspace-relative); the full path when null.</param>
    public StageBuildEngine(CellLog log, RunConsole console, string label, string? logShown = null)
    {
        _log = log;
        _console = console;
        _label = label;
        _logShown = logShown ?? log.Path;
    }

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors)
            {
                return [.. _errors];
            }
        }
    }

    public IReadOnlyList<string> ErrorCodes
    {
        get
        {
            lock (_errors)
            {
                return [.. _errorCodes];
            }
        }
    }

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => "cairn";

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) =>
        throw new NotSupportedException("A stage task hosted by Cairn cannot build MSBuild projects; declare the work as another stage instead.");

    public void LogErrorEvent(BuildErrorEventArgs e)
    {
        var text = Format("error", e.Code, e.Message);
        lock (_errors)
        {
            _errors.Add(string.IsNullOrEmpty(e.Code) ? e.Message ?? string.Empty : $"{e.Code}: {e.Message}");
            if (!string.IsNullOrEmpty(e.Code))
            {
                _errorCodes.Add(e.Code);
            }
        }

        Write(text, toConsole: true);
    }

    public void LogWarningEvent(BuildWarningEventArgs e) => Write(Format("warning", e.Code, e.Message), toConsole: true);

    public void LogMessageEvent(BuildMessageEventArgs e) => Write(e.Message ?? string.Empty, toConsole: e.Importance == MessageImportance.High);

    public void LogCustomEvent(CustomBuildEventArgs e) => Write(e.Message ?? string.Empty, toConsole: false);

    /// <summary>Writes an engine line (decision, timing, failure) to the cell log.</summary>
    public void Note(string text) => Write(text, toConsole: false);

    /// <summary>Copies another engine's log (a Slurm worker's, already timestamped) into the cell log as it is.</summary>
    public void Relay(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            _log.WriteLine(line);
        }
    }

    public void Dispose()
    {
        if (_held > 0)
        {
            _console.Line(string.Create(CultureInfo.InvariantCulture, $"  [{_label}] … and {_held:N0} more {(_held == 1 ? "message" : "messages")} like these, in {_logShown}"));
        }

        _log.Dispose();
    }

    private static string Format(string severity, string? code, string? message) =>
        string.IsNullOrEmpty(code) ? $"{severity}: {message}" : $"{severity} {code}: {message}";

    private void Write(string text, bool toConsole)
    {
        text = Reporting.ControlCharacters.Escape(text);
        lock (_log)
        {
            if (toConsole)
            {
                // More than every cell logs: the cell gets a file of its own, the one the console names.
                _log.Spill();
            }

            _log.WriteLine(DateTimeOffset.UtcNow.ToString("HH:mm:ss.fff ", CultureInfo.InvariantCulture) + text);
            if (toConsole && _shown >= ConsoleLimit)
            {
                _held++;
                toConsole = false;
            }
            else if (toConsole)
            {
                _shown++;
            }
        }

        if (toConsole)
        {
            _console.Line($"  [{_label}] {text}");
        }
    }
}
