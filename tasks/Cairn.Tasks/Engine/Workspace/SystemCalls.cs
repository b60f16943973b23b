using System.Runtime.InteropServices;

namespace Cairn.Engine.Workspace;

/// <summary>
/// The libc calls the engine makes itself on files only it touches (a checkpoint's temp file, a short lock's file, an
/// output it promotes), where .NET's file API adds system calls of its own to each: a <see cref="FileStream"/>'s
/// <c>flock</c> for its <see cref="FileShare"/> and the unlock, its <c>lseek</c>; <see cref="File.Move(string, string, bool)"/>'s
/// <c>lstat</c> of the source. Those are thousands of calls in a first run, once per cell each. Every call answers 0 (or
/// a descriptor) or the <c>errno</c> negated, and throws nothing: a caller that meets an error it does not handle itself
/// makes the same step again through .NET's API, which throws the exception .NET would have thrown for it. Linux only:
/// elsewhere, or where libc lacks a call, <see cref="Available"/> is false and callers use .NET's API from the start.
/// </summary>
internal static partial class SystemCalls
{
    public const int NoSuchFile = 2;
    public const int Interrupted = 4;
    public const int WouldBlock = 11;
    public const int Exists = 17;

    private const int NoSuchSystemCall = 38;
    private const int WriteOnly = 0x1;
    private const int ReadWrite = 0x2;
    private const int Create = 0x40;
    private const int Exclusive = 0x80;
    private const int CloseOnExec = 0x80000;
    private const int NewFileMode = 0x1B6; // 0666, less the umask
    private const int NewFolderMode = 0x1FF; // 0777, less the umask
    private const int LockExclusive = 2;
    private const int LockWithoutWaiting = 4;
    private const int LockRelease = 8;

    private static volatile bool s_unavailable = !OperatingSystem.IsLinux();

    /// <summary>Whether the calls can be made here.</summary>
    public static bool Available => !s_unavailable;

    /// <summary>Creates a new file for writing (<c>O_CREAT|O_EXCL</c>): its descriptor, or the error negated (-EEXIST when something is there).</summary>
    public static int CreateNew(string path)
    {
        try
        {
            return s_unavailable ? -NoSuchSystemCall : Result(Open(path, WriteOnly | Create | Exclusive | CloseOnExec, NewFileMode));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Unavailable();
        }
    }

    /// <summary>Opens a file to read and write, created when missing: its descriptor, or the error negated.</summary>
    public static int OpenOrCreate(string path)
    {
        try
        {
            return s_unavailable ? -NoSuchSystemCall : Result(Open(path, ReadWrite | Create | CloseOnExec, NewFileMode));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Unavailable();
        }
    }

    /// <summary>Writes every byte (a short write is continued): 0, or the error negated.</summary>
    public static unsafe int WriteAll(int descriptor, ReadOnlySpan<byte> bytes)
    {
        try
        {
            fixed (byte* start = bytes)
            {
                var written = 0;
                while (written < bytes.Length)
                {
                    var result = Write(descriptor, start + written, bytes.Length - written);
                    if (result < 0)
                    {
                        var error = Marshal.GetLastPInvokeError();
                        if (error == Interrupted)
                        {
                            continue;
                        }

                        return -error;
                    }

                    written += (int)result;
                }

                return 0;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Unavailable();
        }
    }

    /// <summary>Closes a descriptor: 0, or the error negated (a write's error can come only now, on some file systems).</summary>
    public static int CloseDescriptor(int descriptor)
    {
        try
        {
            return Result(Close(descriptor));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Unavailable();
        }
    }

    /// <summary>Renames over whatever is at the destination (<c>rename</c>, not following links): 0, or the error negated.</summary>
    public static int RenameOver(string source, string destination)
    {
        try
        {
            return s_unavailable ? -NoSuchSystemCall : Result(Rename(source, destination));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Unavailable();
        }
    }

    /// <summary>Makes one folder (not its parents): 0, or the error negated (-EEXIST when anything is at the path, -ENOENT when its parent is missing).</summary>
    public static int MakeFolder(string path)
    {
        try
        {
            return s_unavailable ? -NoSuchSystemCall : Result(MakeDirectory(path, NewFolderMode));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Unavailable();
        }
    }

    /// <summary>Takes the exclusive <c>flock</c> of an open descriptor without waiting (<c>LOCK_EX|LOCK_NB</c>): 0, or the error negated (-EWOULDBLOCK while another holds it).</summary>
    public static int TryLockExclusive(int descriptor) => Flock(descriptor, LockExclusive | LockWithoutWaiting);

    /// <summary>Lets go of the descriptor's <c>flock</c> (<c>LOCK_UN</c>): 0, or the error negated.</summary>
    public static int Unlock(int descriptor) => Flock(descriptor, LockRelease);

    private static int Flock(int descriptor, int operation)
    {
        try
        {
            return s_unavailable ? -NoSuchSystemCall : Result(FileLock(descriptor, operation));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return Unavailable();
        }
    }

    private static int Result(int result) => result >= 0 ? result : -Marshal.GetLastPInvokeError();

    private static int Unavailable()
    {
        s_unavailable = true;
        return -NoSuchSystemCall;
    }

    [LibraryImport("libc.so.6", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc.so.6", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint Write(int descriptor, byte* buffer, nint count);

    [LibraryImport("libc.so.6", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);

    [LibraryImport("libc.so.6", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Rename(string source, string destination);

    [LibraryImport("libc.so.6", EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MakeDirectory(string path, int mode);

    [LibraryImport("libc.so.6", EntryPoint = "flock", SetLastError = true)]
    private static partial int FileLock(int descriptor, int operation);
}
