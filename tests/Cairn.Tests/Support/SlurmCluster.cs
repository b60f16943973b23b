using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cairn.Tests.Support;

/// <summary>
/// A real single-node Slurm cluster started by the test: munged (a key and socket of its own), slurmctld and slurmd in
/// the foreground, all with a config in a folder of the test's (<c>proctrack/linuxproc</c>, <c>task/none</c>,
/// <c>select/cons_tres</c>, free ports, finished jobs kept for <c>squeue</c> and logged by <c>jobcomp/filetxt</c>).
/// Ready when <c>sinfo</c> shows the node idle; stopped by process id on dispose. Slurm's commands find it through
/// <see cref="Environment"/> (<c>SLURM_CONF</c>).
/// </summary>
internal sealed class SlurmCluster : IDisposable
{
    public const string Missing = "needs Slurm: apt-get install slurm-wlm munge";

    private static readonly string[] Daemons = ["/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd"];

    /// <summary>Slurm's commands, which the test and Cairn's executor run by name: they must be on PATH.</summary>
    private static readonly string[] Commands = ["sbatch", "squeue", "sacct", "scancel", "sinfo"];

    private readonly string _folder;
    private readonly List<Process> _daemons = [];

    private SlurmCluster(string folder)
    {
        _folder = folder;
    }

    /// <summary>
    /// True when munged, slurmctld and slurmd are installed, Slurm's commands are on PATH (the executor runs them by
    /// name, so a machine whose PATH lacks them cannot run these tests even with the daemons installed), and the test
    /// runs as root (slurmd must be).
    /// </summary>
    public static bool Installed =>
        OperatingSystem.IsLinux() && Daemons.All(File.Exists) && System.Environment.UserName == "root"
        && Processes.Run("/bin/sh", ["-c", $"for c in {string.Join(' ', Commands)}; do command -v $c >/dev/null || exit 1; done"], Repository.Root).ExitCode == 0;

    /// <summary>The cluster's config, which Slurm's commands read.</summary>
    public string Config => Path.Combine(_folder, "slurm.conf");

    /// <summary>The job completion log (<c>jobcomp/filetxt</c>): one line per finished job and array task.</summary>
    public string JobLog => Path.Combine(_folder, "log", "jobcomp.txt");

    /// <summary>The environment Slurm's commands (and Cairn, which runs them) need to reach this cluster.</summary>
    public Dictionary<string, string?> Environment => new() { ["SLURM_CONF"] = Config };

    public static SlurmCluster Start(string folder)
    {
        var cluster = new SlurmCluster(folder);
        try
        {
            if (!OperatingSystem.IsLinux())
            {
                throw new PlatformNotSupportedException(Missing);
            }

            cluster.Run();
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>Runs a Slurm command (squeue, scancel, scontrol) against this cluster.</summary>
    public ProcessResult Command(string command, params string[] arguments) => Processes.Run(command, arguments, _folder, Environment, timeoutSeconds: 60);

    /// <summary>
    /// Every job and array task the controller knows, finished or not (it keeps them for <c>MinJobAge</c>): id
    /// (<c>12_3</c>), name, state and reason.
    /// </summary>
    public IReadOnlyList<(string Id, string Name, string State, string Reason)> Jobs()
    {
        var result = Command("squeue", "-h", "-r", "--states=all", "-o", "%i|%j|%T|%r");
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('|'))
            .Where(p => p.Length == 4)
            .Select(p => (p[0], p[1], p[2], p[3]))
            .ToList();
    }

    public void Dispose()
    {
        if (_daemons.Count == 3 && _daemons.TrueForAll(d => !d.HasExited))
        {
            // No job of the test outlives it: slurmstepd and the jobs it runs are not slurmd's children.
            Command("scancel", "--user=root");
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(15) && Jobs().Any(j => j.State is "RUNNING" or "COMPLETING"))
            {
                Thread.Sleep(200);
            }
        }

        // slurmd first (it would run no more jobs), then the controller, then munge; the jobs' processes with slurmd.
        for (var i = _daemons.Count - 1; i >= 0; i--)
        {
            var daemon = _daemons[i];
            if (!daemon.HasExited)
            {
                daemon.Kill(entireProcessTree: true);
                daemon.WaitForExit();
            }

            daemon.Dispose();
        }

        _daemons.Clear();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private void Run()
    {
        foreach (var sub in new[] { "munge", "state", "spool", "log" })
        {
            Directory.CreateDirectory(Path.Combine(_folder, sub));
        }

        var key = Path.Combine(_folder, "munge", "munge.key");
        File.WriteAllBytes(key, System.Security.Cryptography.RandomNumberGenerator.GetBytes(128));
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(Path.Combine(_folder, "munge"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var socket = Path.Combine(_folder, "munge", "socket");
        Launch("/usr/sbin/munged", "--foreground", "--force", $"--key-file={key}", $"--socket={socket}", $"--pid-file={Path.Combine(_folder, "munge", "munged.pid")}", $"--log-file={Path.Combine(_folder, "munge", "munged.log")}", $"--seed-file={Path.Combine(_folder, "munge", "seed")}");
        WaitFor(() => File.Exists(socket), "munged's socket");

        var host = Dns.GetHostName().Split('.')[0];
        File.WriteAllText(Config, $"""
            ClusterName=cairntest
            SlurmctldHost={host}(127.0.0.1)
            AuthType=auth/munge
            AuthInfo=socket={socket}
            CryptoType=crypto/munge
            SlurmUser=root
            SlurmdUser=root
            SlurmctldPort={FreePort()}
            SlurmdPort={FreePort()}
            StateSaveLocation={_folder}/state
            SlurmdSpoolDir={_folder}/spool
            SlurmctldPidFile={_folder}/slurmctld.pid
            SlurmdPidFile={_folder}/slurmd.pid
            SlurmctldLogFile={_folder}/log/slurmctld.log
            SlurmdLogFile={_folder}/log/slurmd.log
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            SchedulerType=sched/backfill
            JobCompType=jobcomp/filetxt
            JobCompLoc={JobLog}
            AccountingStorageType=accounting_storage/none
            MpiDefault=none
            ReturnToService=2
            MinJobAge=3600
            DefMemPerCPU=100
            KillWait=5
            NodeName={host} NodeAddr=127.0.0.1 CPUs={System.Environment.ProcessorCount} RealMemory=1000 State=UNKNOWN
            PartitionName=debug Nodes={host} Default=YES MaxTime=INFINITE State=UP

            """);
        Launch("/usr/sbin/slurmctld", "-D", "-i", "-f", Config);
        Launch("/usr/sbin/slurmd", "-D", "-f", Config);
        WaitFor(() => Command("sinfo", "-h", "-o", "%t").Output.Trim() == "idle", "the node to be idle in sinfo");
    }

    private void Launch(string binary, params string[] arguments)
    {
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SLURM_CONF"] = Config;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _daemons.Add(process);
    }

    private void WaitFor(Func<bool> ready, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!ready())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30) || _daemons.FirstOrDefault(d => d.HasExited) is { } died && died is not null)
            {
                var logs = string.Join("\n", Directory.EnumerateFiles(Path.Combine(_folder, "log")).Select(f => $"{f}:\n{File.ReadAllText(f)}"));
                throw new InvalidOperationException($"The test's Slurm cluster never got ready (waiting for {what}); {(_daemons.FirstOrDefault(d => d.HasExited) is { } d ? $"{d.StartInfo.FileName} exited {d.ExitCode}" : "timed out")}\n{logs}");
            }

            Thread.Sleep(200);
        }
    }
}
