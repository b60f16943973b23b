using System.Diagnostics;
using System.Text;

namespace Cairn.Tests.Support;

/// <summary>Runs real commands the way a user would, capturing stdout and stderr together.</summary>
internal static class Processes
{
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string?>? environment = null, int timeoutSeconds = 300) =>
        Start(fileName, arguments, workingDirectory, environment, timeoutSeconds, interruptWhen: null);

    /// <summary>
    /// Runs a command in a process group of its own (setsid, with SIGINT's default disposition), asking
    /// <paramref name="interruptWhen"/> every 100 ms while it runs; once it says yes, the group gets SIGINT, as Ctrl+C
    /// in a terminal sends it.
    /// </summary>
    public static ProcessResult RunInterruptible(string fileName, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string?>? environment, Func<bool> interruptWhen, int timeoutSeconds = 600) =>
        Start("setsid", ["env", "--default-signal=INT", fileName, .. arguments], workingDirectory, environment, timeoutSeconds, interruptWhen);

    private static ProcessResult Start(string fileName, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string?>? environment, int timeoutSeconds, Func<bool>? interruptWhen)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The tests' own CI flag must not leak into the runs they check; each test says what environment it wants.
        start.Environment.Remove("CI");
        start.Environment.Remove("GITHUB_ACTIONS");
        start.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        var interrupted = interruptWhen is null;
        while (!process.WaitForExit(TimeSpan.FromMilliseconds(100)) && clock.Elapsed < TimeSpan.FromSeconds(timeoutSeconds))
        {
            if (!interrupted && interruptWhen!())
            {
                interrupted = true;
                Signals.Send("INT", process.Id, group: true);
            }
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in {timeoutSeconds} s; output so far:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return new ProcessResult(process.ExitCode, output.ToString());
        }
    }
}
