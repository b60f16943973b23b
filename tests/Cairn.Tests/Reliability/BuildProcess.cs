using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Cairn.Tests.Support;

namespace Cairn.Tests.Reliability;

/// <summary>
/// One real <c>./build.sh</c> run that a test either lets finish or kills with SIGKILL, its whole process tree at once.
/// build.sh execs <c>dotnet cake</c>, so the process started here is the dotnet host, and Cake runs beneath it.
/// </summary>
internal sealed partial class BuildProcess : IDisposable
{
    /// <summary>How a process killed by signal 9 exits, as the shell reports it.</summary>
    public const int KilledExitCode = 128 + 9;

    // A hang fails the test after this long. Generous: the first build.sh of a test run packs Cairn.Cake and builds the
    // pipeline (about a minute on an idle 2-core machine, over two under load), and other tests' runs wait for it.
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(8);
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Stopwatch _clock;
    private List<int> _paused = [];

    private BuildProcess(IEnumerable<string> arguments, IReadOnlyList<string>? under = null)
    {
        var start = new ProcessStartInfo(under is null ? Repository.PathOf("build.sh") : under[0])
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        if (under is not null)
        {
            foreach (var argument in under.Skip(1).Append(Repository.PathOf("build.sh")))
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // As Processes.Run does: the tests' own CI flag must not leak into the runs they check.
        start.Environment.Remove("CI");
        start.Environment.Remove("GITHUB_ACTIONS");
        start.Environment["NO_COLOR"] = "1";
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _clock = Stopwatch.StartNew();
        _process.Start();
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public TimeSpan Elapsed { get; private set; }

    public int ExitCode => _process.ExitCode;

    /// <summary>The run id the engine printed in its summary (<c>Cairn run &lt;id&gt; (…)</c>), or null before it got there.</summary>
    public string? RunId => RunIdLine().Match(Output) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>The engine's own time for the run, from its summary (<c>succeeded in 3.48 s</c>).</summary>
    public TimeSpan EngineTime =>
        EngineTimeLine().Match(Output) is { Success: true } m
            ? TimeSpan.FromSeconds(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            : throw new InvalidOperationException($"the run printed no 'succeeded in … s'; output:\n{Output}");

    /// <summary>The stage the run last printed a line about, or null when it printed none yet.</summary>
    public string? LastStage
    {
        get
        {
            lock (_lines)
            {
                return _lines.Select(l => StageLine().Match(l)).LastOrDefault(m => m.Success)?.Groups[1].Value;
            }
        }
    }

    public static BuildProcess Start(IEnumerable<string> arguments) => new(arguments);

    /// <summary>Starts <c>./build.sh</c> under another program, e.g. <c>strace -f -e inject=…</c>: the command's words come first, then build.sh and its arguments.</summary>
    public static BuildProcess StartUnder(IReadOnlyList<string> command, IEnumerable<string> arguments) => new(arguments, command);

    /// <summary>Runs to the end and returns itself; a run that hangs is killed and fails the test.</summary>
    public BuildProcess Finish()
    {
        if (!_process.WaitForExit(RunTimeout))
        {
            KillTree();
            throw new TimeoutException($"build.sh did not finish in {RunTimeout.TotalSeconds} s; output so far:\n{Output}");
        }

        _process.WaitForExit();
        Elapsed = _clock.Elapsed;
        return this;
    }

    public BuildProcess ShouldExitWith(int code)
    {
        ExitCode.ShouldBe(code, $"output:\n{Output}");
        return this;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds.</summary>
    /// <returns>How long after the start it held; null when the run ended first.</returns>
    public TimeSpan? WaitUntil(Func<bool> condition)
    {
        while (!condition())
        {
            if (_process.WaitForExit(TimeSpan.FromMilliseconds(10)))
            {
                // Ended first: wait for the rest of its output too (a timed wait does not), so that what a test prints
                // about the run, its exit code included, is the whole of it.
                _process.WaitForExit();
                Elapsed = _clock.Elapsed;
                return null;
            }

            if (_clock.Elapsed > RunTimeout)
            {
                throw new TimeoutException($"build.sh ran {RunTimeout.TotalSeconds} s without reaching the awaited point; output so far:\n{Output}");
            }
        }

        return _clock.Elapsed;
    }

    /// <summary>Waits until <paramref name="delay"/> after the start, then kills the run's whole tree if it is still going.</summary>
    /// <returns>How many processes were killed; 0 when the run ended by itself first.</returns>
    public int KillAt(TimeSpan delay)
    {
        var remaining = delay - _clock.Elapsed;
        if (_process.WaitForExit(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero))
        {
            _process.WaitForExit();
            Elapsed = _clock.Elapsed;
            return 0;
        }

        var killed = KillTree();
        return _process.ExitCode == KilledExitCode ? killed : 0;
    }

    /// <summary>
    /// Stops the run's whole tree (SIGSTOP) at a moment it holds none of the workspace's short locks (claims, stat
    /// cache, ledger, reviews, publication) and no SQLite write lock: paused so, it keeps its cells claimed but makes
    /// no other run wait for anything else. Tried again a moment later while it holds one.
    /// </summary>
    public void Pause(string workspace)
    {
        string[] shortLocks = [".cairn/claims.lock", ".cairn/stat-cache.lock", ".cairn/governance/ledger.lock", ".cairn/governance/reviews.lock", ".cairn/publish.lock"];
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            _paused = Descendants(_process.Id);
            Signal("STOP", _paused);
            if (!shortLocks.Any(l => Cairn.Engine.Workspace.ShortLock.Held(Path.Combine(workspace, l))) && !HoldsPosixWriteLock(_paused))
            {
                return;
            }

            Signal("CONT", _paused);
            Thread.Sleep(attempt % 7);
        }

        throw new InvalidOperationException($"the run held a short lock at each of 1000 tries to pause it; output so far:\n{Output}");
    }

    /// <summary>Lets a paused run go on (SIGCONT).</summary>
    public void Resume()
    {
        Signal("CONT", _paused);
        _paused = [];
    }

    public void Dispose()
    {
        if (_paused.Count > 0)
        {
            Resume();
        }

        if (!_process.HasExited)
        {
            KillTree();
        }

        _process.Dispose();
    }

    private static void Signal(string signal, List<int> pids)
    {
        foreach (var pid in pids)
        {
            Signals.Send(signal, pid);
        }
    }

    /// <summary>Whether one of the processes holds a POSIX write lock (SQLite's, while it writes the run log), by the kernel's list.</summary>
    private static bool HoldsPosixWriteLock(List<int> pids) =>
        File.ReadLines("/proc/locks")
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Any(f => f.Length > 4 && f[1] == "POSIX" && f[3] == "WRITE" && int.TryParse(f[4], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pids.Contains(pid));

    private int KillTree()
    {
        var tree = Descendants(_process.Id);

        // On Unix this stops the process, kills it with SIGKILL, then does the same to each descendant: kill -9 of the
        // whole tree, with no chance for Cake or the engine to clean up.
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        Elapsed = _clock.Elapsed;

        // The next run must not start while any process of this one could still write to the workspace.
        var deadline = Stopwatch.StartNew();
        while (tree.Any(IsRunning))
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"processes {string.Join(", ", tree.Where(IsRunning))} survived kill -9 for 10 s");
            }

            Thread.Sleep(20);
        }

        return tree.Count;
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }

    /// <summary>The process and every process below it, from the parent ids in <c>/proc/*/stat</c>.</summary>
    private static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Stat(pid) is { } stat)
            {
                parents[pid] = stat.Parent;
            }
        }

        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        }

        return tree;
    }

    private static bool IsRunning(int pid) => Stat(pid) is { State: not ('Z' or 'X') };

    private static (char State, int Parent)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read from the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"Cairn run (\S+) \(")]
    private static partial Regex RunIdLine();

    [GeneratedRegex(@"succeeded in (\d+(?:\.\d+)?) s(?:; run log|: nothing to do)")]
    private static partial Regex EngineTimeLine();

    [GeneratedRegex(@"^(Ingest|Validate|Clean|Train|Evaluate|Report|Package)(?::| date=)")]
    private static partial Regex StageLine();
}
