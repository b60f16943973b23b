using System.Runtime.InteropServices;

namespace Cairn.Bench;

/// <summary>
/// The processor time (user + system) of this process's children that have ended: what a child such as xxhsum cost,
/// read around its run. .NET reaps a child when it ends, which is when the kernel adds its time here; a child that
/// has ended cannot be asked through <see cref="System.Diagnostics.Process"/> any more.
/// </summary>
internal static partial class ChildCpu
{
    private const int RusageChildren = -1;

    // struct rusage on 64-bit Linux: ru_utime and ru_stime (each a timeval of two longs), then 14 longs.
    private const int RusageLongs = 18;

    public static TimeSpan Total()
    {
        Span<long> usage = stackalloc long[RusageLongs];
        if (GetRusage(RusageChildren, usage) != 0)
        {
            throw new InvalidOperationException($"getrusage(RUSAGE_CHILDREN) failed: errno {Marshal.GetLastPInvokeError()}.");
        }

        return TimeSpan.FromSeconds(usage[0] + (usage[1] / 1e6) + usage[2] + (usage[3] / 1e6));
    }

    [LibraryImport("libc.so.6", EntryPoint = "getrusage", SetLastError = true)]
    private static partial int GetRusage(int who, Span<long> usage);
}
