namespace Cairn.Engine.Configuration;

/// <summary>
/// How a schedule's failed run is tried again as a whole (the schedule's <c>retry:</c>): at most
/// <see cref="Attempts"/> runs in all, with exponential backoff from <see cref="Delay"/> up to <see cref="MaxDelay"/>.
/// Apart from a stage's <see cref="RetryPolicy"/>, which retries one cell.
/// </summary>
internal sealed record RunRetryPolicy(int Attempts, TimeSpan Delay, TimeSpan MaxDelay)
{
    /// <summary>One run, no retry.</summary>
    public static RunRetryPolicy None { get; } = new(1, TimeSpan.Zero, TimeSpan.Zero);
}
