using System.Globalization;

namespace Cairn.Engine.Workspace;

/// <summary>
/// One run at a time per workspace: an exclusive lock on <c>.cairn/lock</c>, held for the whole run. The operating
/// system drops the lock when its process dies, so a lock left by a crashed or killed run is reclaimed by the next
/// run without anyone deleting a file. The holder names itself (pid, host, since) in <c>.cairn/lock.holder</c>, a
/// plain file beside the lock, for whoever waits: the locked file itself cannot be read while it is held.
/// </summary>
internal sealed class WorkspaceLock : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private readonly FileStream _stream;

    private WorkspaceLock(FileStream stream) => _stream = stream;

    /// <param name="path">The lock file.</param>
    /// <param name="wait">Wait for the holder to finish; otherwise fail at once.</param>
    /// <param name="say">Where the "waiting for …" line goes.</param>
    /// <param name="cancellation">Stops waiting.</param>
    /// <exception cref="WorkspaceBusyException">Another run holds the lock and <paramref name="wait"/> is false.</exception>
    public static WorkspaceLock Acquire(string path, bool wait, Action<string> say, CancellationToken cancellation)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var announced = false;
        while (true)
        {
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                var holder = string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId} on {Environment.MachineName} since {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} UTC");
                File.WriteAllText(path + ".holder", holder + "\n");
                return new WorkspaceLock(stream);
            }
            catch (IOException) when (File.Exists(path))
            {
                var holder = ReadHolder(path);
                if (!wait)
                {
                    throw new WorkspaceBusyException($"Another run holds the workspace {Path.GetDirectoryName(Path.GetDirectoryName(path))}: {holder}. Wait for it (drop --no-wait), or pass another --workspace.");
                }

                if (!announced)
                {
                    say($"waiting for the run that holds this workspace: {holder} (pass --no-wait to fail at once instead)");
                    announced = true;
                }

                cancellation.WaitHandle.WaitOne(Poll);
                cancellation.ThrowIfCancellationRequested();
            }
        }
    }

    public void Dispose() => _stream.Dispose();

    private static string ReadHolder(string path)
    {
        try
        {
            var text = File.ReadAllText(path + ".holder").Trim();
            return text.Length == 0 ? "a process that has not said who it is" : text;
        }
        catch (IOException)
        {
            return "a process that has not said who it is";
        }
    }
}
