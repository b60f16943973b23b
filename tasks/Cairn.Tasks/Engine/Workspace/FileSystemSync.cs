using System.Runtime.InteropServices;

namespace Cairn.Engine.Workspace;

/// <summary>
/// Makes files written without a flush durable, all at once. A run writes thousands of checkpoints; flushing each
/// one to disk as it is written costs a disk round trip per cell, so they are written to the page cache and made
/// durable together when their stage ends: one <c>syncfs</c> of the workspace's file system on Linux, one flush per
/// file elsewhere.
/// </summary>
/// <remarks>
/// What a power cut between a write and the sync can cost: checkpoints (and outputs) of the stage that was running
/// may be lost or left empty on disk. An empty or lost checkpoint is a stale cell, rebuilt by the next run; a
/// checkpoint whose output was lost is caught by the output check (the output's hash no longer matches). A killed
/// process loses nothing: what it wrote is in the page cache.
/// </remarks>
internal static partial class FileSystemSync
{
    private static volatile bool s_syncfsUnavailable = !OperatingSystem.IsLinux();

    /// <summary>Flushes the given files to disk (on Linux, the whole file system they are on, in one call).</summary>
    /// <param name="files">Files written since the last sync; missing ones (removed since) are passed over.</param>
    public static void Flush(IReadOnlyCollection<string> files)
    {
        if (files.Count == 0)
        {
            return;
        }

        if (!s_syncfsUnavailable && files.FirstOrDefault(File.Exists) is { } any)
        {
            try
            {
                using var handle = File.OpenHandle(any, FileMode.Open, FileAccess.Read);
                if (Syncfs(handle.DangerousGetHandle().ToInt32()) == 0)
                {
                    return;
                }
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                s_syncfsUnavailable = true;
            }
        }

        foreach (var file in files)
        {
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
                stream.Flush(flushToDisk: true);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // Removed since it was written: nothing left to make durable.
            }
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int Syncfs(int fileDescriptor);
}
