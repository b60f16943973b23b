using System.Globalization;

namespace Cairn.Engine.Notifications;

/// <summary>
/// Bounded retries for one event: at most <c>attempts</c> tries, each given an equal share of the budget, with a
/// doubling pause between them; nothing starts once the budget is spent, so an event never costs more than its budget
/// (plus the moment it takes to notice).
/// </summary>
internal sealed class DeliveryPolicy
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(250);
    private readonly TimeProvider _time;

    public DeliveryPolicy(int attempts, TimeSpan budget, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        Attempts = attempts;
        Budget = budget;
        _time = time;
    }

    public int Attempts { get; }

    public TimeSpan Budget { get; }

    /// <summary>Tries until delivered; otherwise describes what happened, e.g. "3 attempts in 0.8 s; last: connection refused".</summary>
    /// <param name="attempt">One try, given how long it may take.</param>
    /// <returns>Null when delivered.</returns>
    public string? Deliver(Func<TimeSpan, AttemptOutcome> attempt)
    {
        var started = _time.GetTimestamp();
        var share = Budget / Attempts;
        var pause = FirstPause;
        AttemptOutcome? last = null;
        var tried = 0;
        while (tried < Attempts)
        {
            var left = Budget - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            tried++;
            last = attempt(share < left ? share : left);
            if (last.Delivered)
            {
                return null;
            }

            if (!last.Retry || tried == Attempts)
            {
                break;
            }

            left = Budget - _time.GetElapsedTime(started);
            if (pause >= left)
            {
                break;
            }

            Task.Delay(pause, _time).Wait();
            pause *= 2;
        }

        var seconds = _time.GetElapsedTime(started).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        var tries = tried == 1 ? "1 attempt" : $"{tried} attempts";
        return $"{tries} in {seconds} s (budget {Budget.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s); last: {last?.Detail ?? "no time left to try"}";
    }
}
