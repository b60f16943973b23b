using System.Globalization;

namespace Cairn.Engine.Workspace;

/// <summary>
/// One run at a time per workspace: an exclusive lock on <c>.cairn/lock</c>, held for the whole run. The operating
/// system drops the lock when its process dies, so a lock left by a crashed or killed run is reclaimed by the next
/// run without anyone deleting a file. The file names its holder (pid, host, since) for whoever waits.
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
                stream.SetLength(0);
                var bytes = System.Text.Encoding.UTF8.GetBytes(holder + "\n");
                stream.Write(bytes);
                stream.Flush(flushToDisk: false);
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
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            var text = reader.ReadToEnd().Trim();
            return text.Length == 0 ? "a run that has not said who it is yet" : text;
        }
        catch (IOException e)
        {
            return $"a run whose lock file cannot be read ({e.Message})";
        }
    }
}
