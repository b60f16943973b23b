using System.Collections.Concurrent;
using System.Globalization;

namespace Cairn.Engine.Workspace;

/// <summary>
/// One run at a time per workspace: an exclusive lock on <c>.cairn/lock</c>, held for the whole run. The operating
/// system drops the lock when its process dies, so a lock left by a crashed or killed run is reclaimed by the next
/// run without anyone deleting a file. The holder names itself (pid, host, since) in <c>.cairn/lock.holder</c>, a
/// plain file beside the lock, for whoever waits: the locked file itself cannot be read while it is held. A lock taken
/// by an attempt that then failed (a full disk while naming the holder) is let go at once; a wait names the process
/// that really holds the lock (on Linux the kernel's own list, <c>/proc/locks</c>, says). A lock this very process
/// holds is waited for only while a run in it holds it (a host running two runs at once); one that no run here holds
/// any more was leaked, and waiting for it would be for ever: that is an error.
/// Runs take it shared (many runs at once, each holding only its own cells, <see cref="CellClaims"/>); a command that
/// must have the workspace to itself (a review decision, a rollback, the service) takes it exclusive, so it waits for
/// every run to end and no run begins while it holds it: a readers-writer lock the OS keeps (flock).
/// </summary>
internal sealed class WorkspaceLock : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    // How many holders in this process hold each lock now, by path: what tells a wait for another run here from a leaked lock.
    private static readonly ConcurrentDictionary<string, int> s_held = new(StringComparer.Ordinal);

    private readonly FileStream _stream;
    private readonly string _path;
    private int _disposed;

    private WorkspaceLock(FileStream stream, string path)
    {
        _stream = stream;
        _path = path;
        s_held.AddOrUpdate(path, 1, (_, n) => n + 1);
    }

    /// <param name="path">The lock file.</param>
    /// <param name="wait">Wait for the holder to finish; otherwise fail at once.</param>
    /// <param name="say">Where the "waiting for …" line goes.</param>
    /// <param name="cancellation">Stops waiting.</param>
    /// <param name="shared">Taken shared, as a run takes it (other shared holders go on; an exclusive one waits); exclusive otherwise.</param>
    /// <exception cref="WorkspaceBusyException">Another run holds the lock and <paramref name="wait"/> is false, or this process holds it already.</exception>
    /// <exception cref="IOException">The lock could not be taken or its holder not be named (a full disk): nothing is held.</exception>
    public static WorkspaceLock Acquire(string path, bool wait, Action<string> say, CancellationToken cancellation, bool shared = false)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var workspace = Path.GetDirectoryName(Path.GetDirectoryName(path));
        var announced = false;
        var nobodyHeldIt = false;
        while (true)
        {
            FileStream stream;
            try
            {
                // .NET takes flock(LOCK_SH) for an open that shares the file, flock(LOCK_EX) for one that does not.
                stream = shared
                    ? new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite)
                    : new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (File.Exists(path))
            {
                var (holder, pid) = Holder(path);
                if (pid == Environment.ProcessId && !s_held.ContainsKey(path))
                {
                    throw new WorkspaceBusyException($"This process (pid {pid}) holds the lock of the workspace {workspace}, but no run in it does: an earlier attempt did not let go. Waiting would be for ever; start a new process.", e);
                }

                if (OperatingSystem.IsLinux() && pid is null)
                {
                    // No process holds a lock on the file, so the open failed for another reason; unless the holder let
                    // go between the two, which one more try tells.
                    if (nobodyHeldIt)
                    {
                        throw new IOException($"Cairn could not take the workspace {workspace}: opening {path} failed ({e.Message}).", e);
                    }

                    nobodyHeldIt = true;
                    continue;
                }

                nobodyHeldIt = false;
                if (!wait)
                {
                    throw new WorkspaceBusyException($"Another run holds the workspace {workspace}: {holder}. Wait for it (drop --no-wait), or pass another --workspace.");
                }

                if (!announced)
                {
                    say($"waiting for the run that holds this workspace: {holder} (pass --no-wait to fail at once instead)");
                    announced = true;
                }

                cancellation.WaitHandle.WaitOne(Poll);
                cancellation.ThrowIfCancellationRequested();
                continue;
            }

            try
            {
                var holder = string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId} on {Environment.MachineName} since {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} UTC");
                File.WriteAllText(path + ".holder", holder + "\n");
                return new WorkspaceLock(stream, path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stream.Dispose();
                throw new IOException($"Cairn could not take the workspace {workspace}: writing {path}.holder failed ({e.Message}); nothing is held.", e);
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stream.Dispose();
        if (s_held.AddOrUpdate(_path, 0, (_, n) => n - 1) <= 0)
        {
            s_held.TryRemove(new KeyValuePair<string, int>(_path, 0));
        }
    }

    /// <summary>Who holds the lock, in words, and its pid when the system says (Linux) or the holder file does.</summary>
    private static (string Description, int? Pid) Holder(string path)
    {
        var locker = OperatingSystem.IsLinux() ? LockingProcess(path) : null;
        string? said = null;
        try
        {
            said = File.ReadAllText(path + ".holder").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not written yet, or gone: the kernel's answer (or none) stands.
        }

        var saidPid = said is { Length: > 0 } && said.Split(' ') is ["pid", var number, ..] && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (int?)null;
        if (locker is { } pid)
        {
            return (saidPid == pid ? said! : $"pid {pid} ({CommandLine(pid)}), which has not said since when", pid);
        }

        return (said is { Length: > 0 } ? said : "a process that has not said who it is", OperatingSystem.IsLinux() ? null : saidPid);
    }

    /// <summary>The process holding a lock on the file, from the kernel's list of locks; null when none does.</summary>
    private static int? LockingProcess(string path)
    {
        if (FileStats.Read(path, out var stat) != FileStatKind.RegularFile)
        {
            return null;
        }

        var device = string.Create(CultureInfo.InvariantCulture, $"{stat.Device >> 32:x2}:{stat.Device & 0xFFFFFFFF:x2}:{stat.Inode}");
        try
        {
            foreach (var line in File.ReadLines("/proc/locks"))
            {
                // "1: FLOCK  ADVISORY  WRITE 24525 fe:00:11698863 0 EOF"
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 6 && fields[5] == device && int.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    return pid;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return null;
    }

    private static string CommandLine(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            return text.Length == 0 ? "no command line" : text.Length > 80 ? text[..80] + "…" : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "gone";
        }
    }
}
