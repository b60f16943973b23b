using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cairn.Engine.Workspace;

/// <summary>
/// Reads a small file whole into the caller's buffer with <c>open</c>, <c>read</c> and <c>close</c> alone. A no-op
/// reads every cell's checkpoint (120,000 at 40,000 partitions), and a first run hashes every output it stages;
/// <see cref="File.ReadAllBytes"/> and a file handle add an <c>fstat</c>, a shared <c>flock</c> and its unlock to each
/// (and a new array the size of the file, or a read-ahead hint). Nothing here locks: checkpoints and outputs are
/// written elsewhere and renamed into place, so a reader never sees half of one.
/// </summary>
internal static partial class SmallFiles
{
    /// <summary>What <see cref="TryRead"/> answers for a path with nothing there (ENOENT).</summary>
    public const int Missing = -1;

    /// <summary>What <see cref="TryRead"/> answers when it cannot tell: read the file the ordinary way, which also says why it could not.</summary>
    public const int Unknown = -2;

    private const int OpenReadOnlyCloseOnExec = 0x80000;
    private const int NoSuchFile = 2;
    private const int Interrupted = 4;

    private static volatile bool s_libcUnavailable = !OperatingSystem.IsLinux();

    /// <returns>
    /// The file's length when it fit in the buffer; <see cref="Missing"/> when nothing is at the path; <see cref="Unknown"/>
    /// when the file is longer than the buffer or could not be opened or read (a folder, no permission, any other error).
    /// </returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe int TryRead(string path, Span<byte> buffer)
    {
        if (s_libcUnavailable)
        {
            return Unknown;
        }

        int descriptor;
        try
        {
            descriptor = Open(path, OpenReadOnlyCloseOnExec);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_libcUnavailable = true;
            return Unknown;
        }

        if (descriptor < 0)
        {
            return Marshal.GetLastPInvokeError() == NoSuchFile ? Missing : Unknown;
        }

        try
        {
            var length = 0;
            fixed (byte* start = buffer)
            {
                // To the end of the file: a short read is not taken to be the end.
                while (length < buffer.Length)
                {
                    var read = Read(descriptor, start + length, buffer.Length - length);
                    if (read == 0)
                    {
                        return length;
                    }

                    if (read < 0)
                    {
                        if (Marshal.GetLastPInvokeError() == Interrupted)
                        {
                            continue;
                        }

                        return Unknown;
                    }

                    length += (int)read;
                }
            }

            return Unknown;
        }
        finally
        {
            // A descriptor only read from: a failing close loses nothing (Linux frees it whatever close returns).
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc.so.6", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint Read(int descriptor, byte* buffer, nint count);

    [LibraryImport("libc.so.6", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
