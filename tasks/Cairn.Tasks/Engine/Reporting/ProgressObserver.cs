using System.Globalization;
using Cairn.Engine.Observing;
using Cairn.Engine.Runs;
using Cairn.Engine.Scan;

namespace Cairn.Engine.Reporting;

/// <summary>
/// Progress of a stage's cells: on a terminal, a status line redrawn as cells finish (and each second); in CI, a plain
/// line at a steady interval while a stage runs, so a long stage shows it is alive without flooding the log.
/// Rows come from the cells' <c>RowsIn</c> (or <c>Rows</c>) metric.
/// </summary>
internal sealed class ProgressObserver : IRunObserver, IDisposable
{
    private static readonly TimeSpan TerminalRefresh = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan TerminalThrottle = TimeSpan.FromMilliseconds(100);
    private readonly TextWriter _output;
    private readonly StatusLineWriter? _status;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private string? _stage;
    private int _total;
    private int _done;
    private double _rows;
    private bool _hasRows;
    private long _stageStarted;
    private long _lastShown;

    private ProgressObserver(TextWriter output, StatusLineWriter? status, TimeProvider time, TimeSpan interval)
    {
        _output = output;
        _status = status;
        _time = time;
        _interval = interval;
    }

    /// <summary>A status line on a terminal.</summary>
    public static ProgressObserver OnTerminal(StatusLineWriter status, TimeProvider time) => new(status, status, time, TerminalRefresh);

    /// <summary>A plain line every <paramref name="interval"/> while a stage runs.</summary>
    public static ProgressObserver InLines(TextWriter output, TimeProvider time, TimeSpan interval) => new(output, null, time, interval);

    public void OnRunStarted(RunStarted run)
    {
    }

    public void OnStageDecided(string runId, string stage, IReadOnlyList<CellDecision> decisions)
    {
        lock (_gate)
        {
            _stage = stage;
            _total = decisions.Count(d => d.Decision.Run);
            _done = 0;
            _rows = 0;
            _hasRows = false;
            _stageStarted = _time.GetTimestamp();
            _lastShown = _stageStarted;
            if (_total > 0)
            {
                _timer?.Dispose();
                _timer = _time.CreateTimer(_ => Tick(), null, _interval, _interval);
            }
        }
    }

    public void OnCellFinished(CellFinished cell)
    {
        lock (_gate)
        {
            _done++;
            var rows = cell.Metrics.TryGetValue("RowsIn", out var rowsIn) ? rowsIn : cell.Metrics.TryGetValue("Rows", out var plain) ? plain : (double?)null;
            if (rows is { } r)
            {
                _rows += r;
                _hasRows = true;
            }

            var since = _time.GetElapsedTime(_lastShown);
            if (_status is not null ? since >= TerminalThrottle : since >= _interval)
            {
                Show();
            }
        }
    }

    public void OnStageFinished(string runId, StageResult result) => Stop();

    public void OnRunFinished(RunFinished run) => Stop();

    public void Dispose() => Stop();

    private void Tick()
    {
        lock (_gate)
        {
            if (_stage is not null && _time.GetElapsedTime(_lastShown) >= (_status is null ? _interval : TerminalRefresh))
            {
                Show();
            }
        }
    }

    private void Show()
    {
        _lastShown = _time.GetTimestamp();
        var seconds = _time.GetElapsedTime(_stageStarted).TotalSeconds;
        var rows = _hasRows ? string.Create(CultureInfo.InvariantCulture, $", {_rows:N0} rows") : string.Empty;
        if (_status is not null)
        {
            _status.SetStatus(string.Create(CultureInfo.InvariantCulture, $"{_stage}: {_done:N0}/{_total:N0} cells{rows}, {seconds:0} s"));
        }
        else
        {
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_stage}: {_done:N0} of {_total:N0} cells done{rows}, {seconds:0} s"));
            _output.Flush();
        }
    }

    private void Stop()
    {
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
            _stage = null;
            _status?.SetStatus(string.Empty);
        }
    }
}
