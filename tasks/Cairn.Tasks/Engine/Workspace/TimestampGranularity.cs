using System.Globalization;

namespace Cairn.Engine.Workspace;

/// <summary>
/// Measures, rather than assumes, how coarse a folder's file timestamps are against the clock the engine reads: the
/// margin by which a file's mtime must be older than a reading for its stat to vouch for its content (the stat cache's
/// racy rule). Probe files are written in a loop, each right after a clock reading, and stat'ed only afterwards (a
/// stat between writes makes some kernels hand out finer timestamps than an unobserved writer gets).
/// </summary>
/// <remarks>
/// Two things make a timestamp coarse, and both are measured: the file system's storage resolution (ext4 keeps
/// nanoseconds, FAT two seconds, many network file systems a second or a microsecond), read off the distinct
/// nanosecond parts of the probes' mtimes; and the clock the kernel stamps with lagging the one the engine reads (a
/// coarse tick, or a file server's clock behind this machine's), the largest amount a probe's mtime came out older
/// than the clock reading taken before it was written. The margin is the larger of the resolution and twice the lag (a
/// probe lasting milliseconds may not meet the worst of a tick), and never less than <see cref="FloorNs"/>. The system
/// clock is read, whatever clock a test gives the engine: the lag is the file system's, not the test's.
/// </remarks>
internal static class TimestampGranularity
{
    /// <summary>The least margin: a probe of a few milliseconds cannot rule out a lag it did not happen to meet.</summary>
    public const long FloorNs = 1_000_000L;

    /// <summary>The margin when every probe's mtime has no sub-second part: FAT's two seconds covers a one-second file system too.</summary>
    public const long WholeSecondsNs = 2_000_000_000L;

    private const int MinimumProbes = 64;
    private const long MinimumProbeNs = 20_000_000L;
    private const long MaximumProbeNs = 200_000_000L;
    private const string ProbePrefix = "timestamp-probe-";

    /// <summary>Measures the margin for files in <paramref name="folder"/> (created when missing); leaves no probe behind.</summary>
    /// <param name="folder">The folder to probe (the workspace's <c>.cairn</c>).</param>
    /// <param name="device">The device the folder is on (0 where stat does not tell), which the margin is good for.</param>
    /// <returns>The margin in nanoseconds.</returns>
    /// <exception cref="IOException">A probe could not be written.</exception>
    public static long Measure(string folder, out ulong device)
    {
        Directory.CreateDirectory(folder);
        var probes = Path.Combine(folder, ProbePrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(probes);
        try
        {
            var before = new List<long>(MinimumProbes * 4);
            var start = FileStats.NowNs();
            while (before.Count < MinimumProbes || FileStats.NowNs() - start < MinimumProbeNs)
            {
                before.Add(FileStats.NowNs());
                File.WriteAllBytes(Path.Combine(probes, before.Count.ToString(CultureInfo.InvariantCulture)), [1]);
                if (FileStats.NowNs() - start > MaximumProbeNs)
                {
                    break;
                }
            }

            device = 0;
            var mtimes = new long[before.Count];
            for (var i = 0; i < before.Count; i++)
            {
                if (FileStats.Read(Path.Combine(probes, (i + 1).ToString(CultureInfo.InvariantCulture)), out var stat) != FileStatKind.RegularFile)
                {
                    throw new IOException($"the timestamp probe in {probes} vanished while it was measured");
                }

                device = stat.Device;
                mtimes[i] = stat.ModifiedNs;
            }

            return Margin(before, mtimes);
        }
        finally
        {
            Directory.Delete(probes, recursive: true);
        }
    }

    /// <summary>The margin from probes: the clock read before each was written, and the mtime it got.</summary>
    public static long Margin(IReadOnlyList<long> before, IReadOnlyList<long> mtimes)
    {
        var lag = 0L;
        var subSecond = false;
        var commonPowerOfTen = 1_000_000_000L;
        for (var i = 0; i < mtimes.Count; i++)
        {
            lag = Math.Max(lag, before[i] - mtimes[i]);
            var fraction = mtimes[i] % 1_000_000_000L;
            subSecond |= fraction != 0;
            while (commonPowerOfTen > 1 && fraction % commonPowerOfTen != 0)
            {
                commonPowerOfTen /= 10;
            }
        }

        var resolution = subSecond ? commonPowerOfTen : WholeSecondsNs;
        return Math.Max(FloorNs, Math.Max(resolution, 2 * lag));
    }
}
