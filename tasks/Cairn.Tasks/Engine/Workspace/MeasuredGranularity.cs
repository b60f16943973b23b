namespace Cairn.Engine.Workspace;

/// <summary>A folder's measured timestamp granularity (<see cref="TimestampGranularity"/>) and the device it holds for.</summary>
/// <param name="Ns">The margin in nanoseconds a file's mtime must be older than a reading by.</param>
/// <param name="Device">The device it was measured on (0 where stat does not tell).</param>
internal sealed record MeasuredGranularity(long Ns, ulong Device);
