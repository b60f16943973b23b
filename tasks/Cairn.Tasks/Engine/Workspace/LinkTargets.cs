using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Cairn.Engine.Workspace;

/// <summary>
/// Where a symbolic link points, asked of the kernel with one <c>readlink</c> into a buffer on the stack. A no-op run
/// asks it of every recorded output and of the folder above it (<see cref="WorkspacePaths"/>), and almost none is a
/// link: <see cref="FileSystemInfo.LinkTarget"/> answered the same with a <see cref="FileInfo"/>, its full path, a
/// pooled buffer and the error looked up again, for each of them. <see cref="FileInfo"/> elsewhere or when libc has
/// no <c>readlink</c>.
/// </summary>
internal static partial class LinkTargets
{
    // PATH_MAX: the kernel never returns a longer target.
    private const int BufferLength = 4096;

    private static volatile bool s_readlinkUnavailable = !OperatingSystem.IsLinux();

    /// <summary>The link's target as written in it, or null when the path is no link (or cannot be read as one).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe string? Of(string path)
    {
        if (!s_readlinkUnavailable)
        {
            try
            {
                var buffer = stackalloc byte[BufferLength];
                var length = ReadLink(path, buffer, BufferLength);

                // Any error means no link Cairn could follow (EINVAL: not a link; ENOENT, ENOTDIR, EACCES: judged
                // as written), as FileInfo.LinkTarget's null or IOException did. A target that fills the buffer may
                // be cut short: FileInfo reads it whole.
                if (length < BufferLength)
                {
                    return length < 0 ? null : Encoding.UTF8.GetString(buffer, (int)length);
                }
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                s_readlinkUnavailable = true;
            }
        }

        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "readlink", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial nint ReadLink(string path, byte* buffer, nint length);
}
