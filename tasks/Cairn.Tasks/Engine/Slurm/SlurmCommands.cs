using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Cairn.Engine.Slurm;

/// <summary>
/// Slurm's own commands, run as processes: <c>sbatch</c> to submit, <c>squeue</c> for each array task's state (slurmctld
/// keeps a finished job for <c>MinJobAge</c>, so no accounting database is needed), <c>scancel</c> to cancel. The
/// cluster is the one the environment names (<c>SLURM_CONF</c>, else the system's).
/// </summary>
internal static class SlurmCommands
{
    /// <summary>The states after which an array task runs no more (Slurm's JOB_STATE names).</summary>
    private static readonly HashSet<string> Ended = new(StringComparer.Ordinal)
    {
        "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "SPECIAL_EXIT",
    };

    public static bool HasEnded(string state) => Ended.Contains(state);

    /// <summary>Submits a batch script; returns the job id.</summary>
    /// <exception cref="SlurmException">sbatch is missing, failed, or answered no job id; the message says what it said.</exception>
    public static string Submit(IEnumerable<string> options, string? script)
    {
        var (exit, stdout, stderr) = Run("sbatch", ["--parsable", .. options, .. script is null ? Array.Empty<string>() : [script]]);
        var id = stdout.Trim().Split(';')[0];
        if (exit != 0 || id.Length == 0 || !id.All(char.IsAsciiDigit))
        {
            throw new SlurmException($"sbatch failed (exit {exit}): {Said(stderr, stdout)}. Is the Slurm cluster up (sinfo), and do the --slurm-* options name a partition and account it has?");
        }

        return id;
    }

    /// <summary>
    /// Each array task's state and reason (a job that is no array is task -1); an empty map when Slurm no longer knows
    /// the job; null when squeue could not be asked (the controller does not answer).
    /// </summary>
    public static Dictionary<int, (string State, string Reason)>? States(string jobId)
    {
        var (exit, stdout, stderr) = Run("squeue", ["-h", "-r", "--states=all", "-j", jobId, "-o", "%K|%T|%r"]);
        if (exit != 0)
        {
            return stderr.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase) ? [] : null;
        }

        var states = new Dictionary<int, (string, string)>();
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split('|');
            if (parts.Length < 3)
            {
                continue;
            }

            var task = int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : -1;
            states[task] = (parts[1], parts[2]);
        }

        return states;
    }

    /// <summary>Cancels a job (all its array tasks), or only its tasks still pending.</summary>
    public static void Cancel(string jobId, bool pendingOnly = false)
    {
        var (exit, stdout, stderr) = Run("scancel", pendingOnly ? ["--state=PENDING", jobId] : [jobId]);
        if (exit != 0)
        {
            throw new SlurmException($"scancel {jobId} failed (exit {exit}): {Said(stderr, stdout)}; cancel it by hand: scancel {jobId}");
        }
    }

    private static string Said(string stderr, string stdout)
    {
        var text = (stderr.Trim().Length > 0 ? stderr : stdout).Trim().ReplaceLineEndings(" ");
        return text.Length == 0 ? "it said nothing" : text;
    }

    private static (int Exit, string Stdout, string Stderr) Run(string command, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, stdout, stderr.GetAwaiter().GetResult());
        }
        catch (Win32Exception e)
        {
            throw new SlurmException($"{command} cannot be run ({e.Message}): --executor=slurm needs Slurm's commands on the PATH of the machine Cairn runs on (Debian: apt-get install slurm-client).", e);
        }
    }
}
