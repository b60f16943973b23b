using System.Collections.Concurrent;
using System.Globalization;
using Cairn.Engine.Observing;
using Cairn.Engine.Runs;
using Cairn.Engine.Scan;

namespace Cairn.Engine.Notifications;

/// <summary>
/// The one background queue every notifier of a run delivers through: an event is handed over and the run goes on, so
/// a receiver that never answers costs a cell nothing (each event still has its own budget, spent on this queue's
/// thread). At the run's end the queue is given at most one budget (the longest of the notifiers') to deliver what is
/// left, and the delivery then in flight a moment more to give up; what it could not deliver, or not reach in that time, is
/// reported as warnings, never a failure. Registered after the notifiers, so the run's last events are queued before
/// it waits.
/// </summary>
internal sealed class NotificationQueue : IRunObserver, IDisposable
{
    // A delivery gives up a moment after its budget is spent (an attempt's deadline firing, a command's process tree
    // killed): the delivery in flight when the wait ends is given that much more to say how it ended.
    private static readonly TimeSpan Moment = TimeSpan.FromSeconds(2);

    private readonly BlockingCollection<(string Notifier, string Event, Action Deliver)> _pending = [];
    private readonly ConcurrentQueue<NotificationFailedException> _failures = new();
    private readonly Lock _gate = new();
    private readonly ManualResetEventSlim _idle = new(initialState: true);
    private readonly List<string> _late = [];
    private readonly TimeSpan _budget;
    private Thread? _thread;
    private int _busy;
    private bool _closed;
    private string? _inFlight;

    /// <param name="budget">How long the run's end waits for the queue: one event's budget.</param>
    public NotificationQueue(TimeSpan budget) => _budget = budget;

    /// <summary>Queues a delivery; it runs after those queued before it, on the queue's thread. After the run's end, nothing is queued.</summary>
    public void Post(string notifier, string eventName, Action deliver)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _thread ??= Start();
            _busy++;
            _idle.Reset();
            _pending.Add((notifier, eventName, deliver));
        }
    }

    public void OnRunStarted(RunStarted run)
    {
    }

    public void OnStageDecided(string runId, string stage, IReadOnlyList<CellDecision> decisions)
    {
    }

    public void OnCellFinished(CellFinished cell)
    {
    }

    public void OnStageFinished(string runId, StageResult result)
    {
    }

    /// <summary>Waits at most one budget for what is queued, then reports every event that was not delivered.</summary>
    /// <exception cref="AggregateException">Of <see cref="NotificationFailedException"/>s: one per event not delivered, one for those left waiting.</exception>
    public void OnRunFinished(RunFinished run) => Finish();

    /// <summary>
    /// The run's end, for a host that tells notifiers of an event outside a run (the service's
    /// <c>run_failed_permanently</c>): waits at most one budget for what is queued, then nothing more is queued.
    /// </summary>
    /// <exception cref="AggregateException">Of <see cref="NotificationFailedException"/>s: one per event not delivered, one for those left waiting.</exception>
    public void Finish()
    {
        _idle.Wait(_budget);
        List<string> left = [];
        lock (_gate)
        {
            _closed = true;
            while (_pending.TryTake(out var item))
            {
                left.Add($"{item.Event} to {item.Notifier}");
                if (--_busy == 0)
                {
                    _idle.Set();
                }
            }
        }

        _idle.Wait(Moment);
        lock (_gate)
        {
            if (_inFlight is { } current)
            {
                left.Insert(0, current);
            }

            left.AddRange(_late);
        }

        var failures = _failures.ToList();
        if (left.Count > 0)
        {
            var events = string.Join(", ", left.GroupBy(e => e).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} ({g.Count():N0})")));
            var budget = _budget.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
            failures.Add(new NotificationFailedException(
                nameof(NotificationQueue),
                string.Create(CultureInfo.InvariantCulture, $"{left.Count:N0} {(left.Count == 1 ? "notification was" : "notifications were")} not delivered when the run ended, and {(left.Count == 1 ? "is" : "are")} dropped: {events}. A run waits at most one delivery's budget ({budget} s) for its notifications; the receiver was slower than that.")));
        }

        if (failures.Count > 0)
        {
            throw new AggregateException(failures);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _closed = true;
            _pending.CompleteAdding();
        }

        // The thread may still be delivering a dropped event; it ends with its budget, and is a background thread.
    }

    private Thread Start()
    {
        var thread = new Thread(Deliver) { IsBackground = true, Name = "Cairn notifications" };
        thread.Start();
        return thread;
    }

    private void Deliver()
    {
        foreach (var (notifier, eventName, deliver) in _pending.GetConsumingEnumerable())
        {
            lock (_gate)
            {
                if (_closed)
                {
                    // Taken from the queue just as the run stopped waiting: dropped like the rest.
                    _late.Add($"{eventName} to {notifier}");
                    if (--_busy == 0)
                    {
                        _idle.Set();
                    }

                    continue;
                }

                _inFlight = $"{eventName} to {notifier}";
            }

            try
            {
                deliver();
            }
            catch (NotificationFailedException e)
            {
                _failures.Enqueue(new NotificationFailedException(notifier, e.Message, e));
            }
#pragma warning disable CA1031 // This thread is the queue's own: an exception escaping it would end the process, and a notification must never fail the run. It is reported as a warning at the run's end.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _failures.Enqueue(new NotificationFailedException(notifier, $"{e.GetType().Name}: {e.Message}", e));
            }
            finally
            {
                lock (_gate)
                {
                    _inFlight = null;
                    if (--_busy == 0)
                    {
                        _idle.Set();
                    }
                }
            }
        }
    }
}
