namespace Cairn.Engine.Configuration;

/// <summary>
/// How a stage's cells retry: at most <see cref="Attempts"/> tries with exponential backoff and jitter. Only
/// transient failures retry: an I/O error or a timeout, or an error whose code is listed in <see cref="OnCodes"/>.
/// A contract or validation failure never does. <see cref="VaryParameter"/>, when set, is raised by
/// <see cref="VaryStep"/> on each retry (a fallback seed, say), and the retry says so.
/// </summary>
internal sealed record RetryPolicy(
    int Attempts,
    TimeSpan Delay,
    TimeSpan MaxDelay,
    bool Jitter,
    IReadOnlyList<string> OnCodes,
    string? VaryParameter,
    long VaryStep)
{
    /// <summary>No retry: one attempt.</summary>
    public static RetryPolicy None { get; } = new(1, TimeSpan.Zero, TimeSpan.Zero, false, [], null, 0);
}
