using System.Text;

namespace Cairn.Engine.Hosting;

/// <summary>
/// Where one cell's log lines go. A cell that logs only what every cell logs (its attempt, its inputs, the task's
/// ordinary messages, its end) is held in memory, and once it has succeeded its lines are appended whole to its
/// stage's log of the run (<see cref="Runs.StageLogs"/>): one file per stage and run, not a file and a folder per cell.
/// A cell that logs a warning, an error or a line for the console, fails, is retried, or logs more than
/// <see cref="HeldLimit"/> characters gets its own file (<see cref="Path"/>), as the console names it.
/// </summary>
internal sealed class CellLog : IDisposable
{
    /// <summary>How much a cell may log before its lines go to its own file rather than wait in memory.</summary>
    public const int HeldLimit = 64 * 1024;

    private readonly Action<string>? _ensureFolder;
    private readonly Lock _lock = new();
    private StringBuilder? _held;
    private StreamWriter? _file;
    private bool _append;

    /// <param name="path">The cell's own log file.</param>
    /// <param name="ownFile">Write to the file from the start (a retry, a whole-dataset cell, a worker's log).</param>
    /// <param name="append">Append to the file (a retry) rather than start it afresh (a new run of the cell).</param>
    /// <param name="ensureFolder">Makes the file's folder before the file is first opened; the folder must exist when null.</param>
    public CellLog(string path, bool ownFile, bool append = false, Action<string>? ensureFolder = null)
    {
        Path = path;
        _append = append;
        _ensureFolder = ensureFolder;
        if (ownFile)
        {
            Open();
        }
        else
        {
            _held = new StringBuilder();
        }
    }

    /// <summary>The cell's own log file (written only once the cell needs one).</summary>
    public string Path { get; }

    public void WriteLine(string line)
    {
        lock (_lock)
        {
            if (_held is { } held)
            {
                held.Append(line).Append(Environment.NewLine);
                if (held.Length > HeldLimit)
                {
                    SpillUnlocked();
                }
            }
            else
            {
                (_file ?? Open()).WriteLine(line);
            }
        }
    }

    /// <summary>Gives the cell its own file: what was held goes there, and every line after it.</summary>
    public void Spill()
    {
        lock (_lock)
        {
            SpillUnlocked();
        }
    }

    /// <summary>The lines held in memory (for the stage's log); null when the cell has its own file. They stay held: a failure after this still spills them.</summary>
    public string? HeldLines()
    {
        lock (_lock)
        {
            return _held?.ToString();
        }
    }

    /// <summary>Closes the cell's own file, if it has one open; a later line or <see cref="Spill"/> appends to it.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _file?.Dispose();
            _file = null;
        }
    }

    private void SpillUnlocked()
    {
        if (_held is not { } held)
        {
            return;
        }

        _held = null;
        (_file ?? Open()).Write(held.ToString());
    }

    private StreamWriter Open()
    {
        _ensureFolder?.Invoke(System.IO.Path.GetDirectoryName(Path)!);
        _file = new StreamWriter(Path, _append) { AutoFlush = false };
        // Opened again after it was closed (an engine failure after the attempt), the file is added to, not started afresh.
        _append = true;
        return _file;
    }
}
