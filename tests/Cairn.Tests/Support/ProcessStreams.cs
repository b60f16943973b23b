using System.Diagnostics;
using System.Text;

namespace Cairn.Tests.Support;

/// <summary>
/// A finished process's stdout and stderr apart, for claims about which stream carries what (a JSON document alone
/// on stdout). Runs like <see cref="Processes.Run"/>: no CI variables, NO_COLOR set, unless the test says otherwise.
/// </summary>
internal sealed record ProcessStreams(int ExitCode, string StandardOutput, string StandardError)
{
    public static ProcessStreams Run(string fileName, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string?>? environment = null, int timeoutSeconds = 300)
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

        start.Environment.Remove("CI");
        start.Environment.Remove("GITHUB_ACTIONS");
        start.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        using var process = new Process { StartInfo = start };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.Append(e.Data).Append('\n'); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.Append(e.Data).Append('\n'); } } };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in {timeoutSeconds} s; stdout so far:\n{stdout}\nstderr:\n{stderr}");
        }

        process.WaitForExit();
        lock (stdout)
        {
            lock (stderr)
            {
                return new ProcessStreams(process.ExitCode, stdout.ToString(), stderr.ToString());
            }
        }
    }

    public ProcessStreams ShouldExitWith(int code)
    {
        ExitCode.ShouldBe(code, $"stdout:\n{StandardOutput}\nstderr:\n{StandardError}");
        return this;
    }
}
