using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Cairn.Tests.Support;

namespace Cairn.Tests.Service;

/// <summary>
/// The real Cairn service as a process of its own (<c>dotnet Cairn.Service.dll</c> from this test's output folder, where
/// the test stages lie beside Cairn.Tasks.dll): its output as it comes, the address it listens on once it says so, and
/// a stop by SIGTERM or SIGKILL. Disposing it kills a service still running.
/// </summary>
internal sealed partial class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _gate = new();

    private ServiceProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public Uri? Address { get; private set; }

    public HttpClient Http { get; private set; } = new();

    public bool HasExited => _process.HasExited;

    public static ServiceProcess Start(string workingDirectory, IEnumerable<string> arguments, IDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Cairn.Service.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("CI");
        start.Environment.Remove("GITHUB_ACTIONS");
        start.Environment.Remove("CAIRN_CALLER_DIRECTORY");
        start.Environment.Remove("CAIRN_SERVICE_TOKEN");
        start.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var service = new ServiceProcess(process);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Waits for the service's "listening on" line and points <see cref="Http"/> at it.</summary>
    public Uri WaitUntilListening(int seconds = 90)
    {
        var line = WaitForLine(ListeningPattern(), seconds);
        var url = ListeningPattern().Match(line).Groups["url"].Value.Replace("://0.0.0.0:", "://127.0.0.1:", StringComparison.Ordinal).Replace("://[::]:", "://127.0.0.1:", StringComparison.Ordinal);
        Address = new Uri(url);
        Http.Dispose();
        Http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        return Address;
    }

    /// <summary>Waits until a line of the output contains the text; returns that line.</summary>
    public string WaitForLine(string text, int seconds = 60) => WaitForLine(new Regex(Regex.Escape(text)), seconds);

    public string WaitForLine(Regex pattern, int seconds = 60)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            var hit = Output.Split('\n').FirstOrDefault(pattern.IsMatch);
            if (hit is not null)
            {
                return hit;
            }

            if (_process.HasExited)
            {
                _process.WaitForExit();
                throw new InvalidOperationException($"The service exited ({_process.ExitCode}) before saying /{pattern}/; its output:\n{Output}");
            }

            Thread.Sleep(50);
        }

        throw new TimeoutException($"The service did not say /{pattern}/ in {seconds} s; its output:\n{Output}");
    }

    /// <summary>Sends a signal by name (TERM, INT, HUP) as a supervisor's kill does.</summary>
    public void Signal(string signal) => Signals.Send(signal, _process.Id);

    /// <summary>SIGTERM, then waits for the service to end; its exit code.</summary>
    public int Stop(int seconds = 90)
    {
        Signal("TERM");
        return WaitForExit(seconds);
    }

    /// <summary>SIGKILL: no chance to record anything.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public int WaitForExit(int seconds = 90)
    {
        if (!_process.WaitForExit(TimeSpan.FromSeconds(seconds)))
        {
            throw new TimeoutException($"The service did not end in {seconds} s; its output:\n{Output}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        Http.Dispose();
        _process.Dispose();
    }

    [GeneratedRegex(@"Cairn service listening on (?<url>https?://\S+?)[:,] ", RegexOptions.CultureInvariant)]
    private static partial Regex ListeningPattern();

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.Append(line).Append('\n');
        }
    }
}
