using System.Diagnostics;

namespace Cairn.Engine.Workspace;

/// <summary>
/// An exclusive OS file lock held for one short step that concurrent runs on a workspace must take one at a time:
/// registering or releasing cell claims, merging the stat cache, appending to the ledger, publishing a version. Taken
/// by waiting (each holder lets go within a moment); the OS drops it when its process dies, so a killed run never
/// leaves it held. Unlike <see cref="WorkspaceLock"/> it names no holder: nobody is told to wait for it.
/// </summary>
internal sealed class ShortLock : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    // Longer than any holder holds it (a stat cache of a million entries is merged in about a second): past this the
    // open fails for another reason than a holder (no permission), which is said rather than waited on for ever.
    public static readonly TimeSpan GiveUp = TimeSpan.FromMinutes(2);

    private readonly FileStream _stream;

    private ShortLock(FileStream stream) => _stream = stream;

    /// <exception cref="IOException">The lock could not be taken within two minutes; the message names the file.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled while waiting.</exception>
    public static ShortLock Take(string path, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new ShortLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (DirectoryNotFoundException) when (clock.Elapsed < GiveUp)
            {
                // Its folder is made when it is missing, not before every take: that was a mkdir system call per
                // ledger entry and per cell claim, a few thousand a first run of the sample.
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            }
            catch (IOException) when (clock.Elapsed < GiveUp)
            {
                cancellation.WaitHandle.WaitOne(Poll);
                cancellation.ThrowIfCancellationRequested();
            }
            catch (IOException e)
            {
                throw Stuck(path, e.Message, e);
            }
        }
    }

    /// <summary>What a holder that waited <see cref="GiveUp"/> for the lock is told.</summary>
    public static IOException Stuck(string path, string reason, Exception? inner = null) =>
        new($"Cairn could not take the lock {path} within {GiveUp.TotalMinutes:0} minutes ({reason}); a process that holds it for that long is stuck: see /proc/locks for its pid.", inner);

    /// <summary>
    /// Whether a process holds an OS lock on the file now (a missing file: none). Found by taking it exclusive, and
    /// letting go at once: a probe, not a way to hold it.
    /// </summary>
    public static bool Held(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return false;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose() => _stream.Dispose();
}
