using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cairn.Engine.Workspace;

/// <summary>
/// Reads a file's <see cref="FileStat"/> with one system call: <c>statx</c> through libc on Linux (device, inode and
/// nanosecond mtime/ctime, which <see cref="FileInfo"/> does not expose), <see cref="FileInfo"/> elsewhere or when
/// statx is unavailable (then only size and last-write time are compared).
/// </summary>
internal static partial class FileStats
{
    private const int AtCurrentDirectory = -100;
    private const uint WantedFields = 0x1 | 0x2 | 0x40 | 0x80 | 0x100 | 0x200; // type, mode, mtime, ctime, inode, size
    private const int StatxBufferLength = 256;
    private const int NoSuchFile = 2;
    private const int NotADirectory = 20;
    private const int NoSuchSystemCall = 38;
    private const int TypeMask = 0xF000;
    private const int RegularFileType = 0x8000;
    private const int FifoType = 0x1000;
    private const int CharacterDeviceType = 0x2000;
    private const int BlockDeviceType = 0x6000;
    private const int SocketType = 0xC000;
    private const int SymbolicLinkType = 0xA000;
    private const int AtSymlinkNoFollow = 0x100;
    private const long NanosecondsPerTick = 100;

    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;
    private static volatile bool s_statxUnavailable = !OperatingSystem.IsLinux();

    /// <summary>The wall clock in nanoseconds since the Unix epoch, the scale of <see cref="FileStat.ModifiedNs"/>.</summary>
    public static long NowNs() => (DateTime.UtcNow.Ticks - UnixEpochTicks) * NanosecondsPerTick;

    /// <summary>The clock's time in nanoseconds since the Unix epoch.</summary>
    public static long NowNs(TimeProvider clock) => (clock.GetUtcNow().UtcTicks - UnixEpochTicks) * NanosecondsPerTick;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static FileStatKind Read(string path, out FileStat stat)
    {
        if (!s_statxUnavailable)
        {
            try
            {
                return ReadStatx(path, out stat);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                s_statxUnavailable = true;
            }
        }

        return ReadPortable(path, out stat);
    }

    /// <summary>
    /// The path's own stat, a symbolic link not followed: <see cref="FileStatKind.SymbolicLink"/> for a link, else what
    /// <see cref="Read"/> says, in the same one call (a regular file's stat is the same either way). Where statx is
    /// unavailable links cannot be told apart without a second call: <see cref="FileStatKind.Other"/> for everything,
    /// which a caller answers as it would without this.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static FileStatKind ReadWithoutFollowing(string path, out FileStat stat)
    {
        if (!s_statxUnavailable)
        {
            try
            {
                return ReadStatx(path, out stat, AtSymlinkNoFollow);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                s_statxUnavailable = true;
            }
        }

        stat = default;
        return FileStatKind.Other;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe FileStatKind ReadStatx(string path, out FileStat stat, int flags = 0)
    {
        stat = default;
        var buffer = stackalloc byte[StatxBufferLength];
        if (Statx(AtCurrentDirectory, path, flags, WantedFields, buffer) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error is NoSuchFile or NotADirectory)
            {
                return FileStatKind.Missing;
            }

            if (error == NoSuchSystemCall)
            {
                s_statxUnavailable = true;
                return flags == 0 ? ReadPortable(path, out stat) : FileStatKind.Other;
            }

            return FileStatKind.Other;
        }

        // struct statx (linux/stat.h): the layout is the same on every architecture.
        var mode = *(ushort*)(buffer + 28);
        if ((mode & TypeMask) != RegularFileType)
        {
            return (mode & TypeMask) == SymbolicLinkType ? FileStatKind.SymbolicLink : (mode & TypeMask) is FifoType or CharacterDeviceType or BlockDeviceType or SocketType ? FileStatKind.NotAFile : FileStatKind.Other;
        }

        stat = new FileStat(
            Device: ((ulong)*(uint*)(buffer + 136) << 32) | *(uint*)(buffer + 140),
            Inode: *(ulong*)(buffer + 32),
            Size: *(long*)(buffer + 40),
            ModifiedNs: Nanoseconds(buffer + 112),
            ChangedNs: Nanoseconds(buffer + 96));
        return FileStatKind.RegularFile;
    }

    /// <summary>What a path that is not a regular file is, for a message: "a FIFO (named pipe)", "a socket", a device.</summary>
    public static unsafe string Describe(string path)
    {
        var buffer = stackalloc byte[StatxBufferLength];
        if (s_statxUnavailable || Statx(AtCurrentDirectory, path, 0, WantedFields, buffer) != 0)
        {
            return "not a regular file";
        }

        return (*(ushort*)(buffer + 28) & TypeMask) switch
        {
            FifoType => "a FIFO (named pipe)",
            SocketType => "a socket",
            CharacterDeviceType => "a character device",
            BlockDeviceType => "a block device",
            RegularFileType => "a regular file",
            _ => "not a regular file",
        };
    }

    private static unsafe long Nanoseconds(byte* timestamp) => (*(long*)timestamp * 1_000_000_000L) + *(uint*)(timestamp + 8);

    private static FileStatKind ReadPortable(string path, out FileStat stat)
    {
        stat = default;
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            // A folder is not a FileInfo either: let the caller find out what it is by opening it.
            return Directory.Exists(path) ? FileStatKind.Other : FileStatKind.Missing;
        }

        stat = new FileStat(0, 0, info.Length, (info.LastWriteTimeUtc.Ticks - UnixEpochTicks) * NanosecondsPerTick, 0);
        return FileStatKind.RegularFile;
    }

    [LibraryImport("libc.so.6", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directoryFd, string path, int flags, uint mask, byte* buffer);
}
