using System.Diagnostics;
using System.Text;
using Cairn.Tests.Support;

namespace Cairn.Tests.CommandLine;

/// <summary>Ctrl+C and SIGTERM sent to a real <c>./build.sh</c> while stages run.</summary>
[Collection(BuildScriptRuns.Name)]
public sealed class SignalTests
{
    [Theory]
    [InlineData("INT", 130, "Ctrl+C (SIGINT)")]
    [InlineData("TERM", 143, "SIGTERM")]
    public void A_signal_during_a_stage_cancels_the_run_records_nothing_partial_and_the_next_run_finishes(string signal, int exitCode, string name)
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 366, step: 4);
        var workspace = env.PathOf("ws");
        string[] arguments = ["--target=Package", $"--workspace={workspace}", $"--raw={env.PathOf("raw")}", "--parallelism=1"];

        var (code, output) = RunAndSignal(arguments, signal, whenLineContains: "Validate: run ");

        code.ShouldBe(exitCode, output);
        output.ShouldContain($"{name}: cancelling the running cells; send it again to stop at once.");
        output.ShouldContain($"cancelled: interrupted by {name}; the running cells' outputs were discarded and nothing of them recorded");
        IntactCheckpoints.ShouldHoldIn(workspace);
        Directory.EnumerateFiles(Path.Combine(workspace, ".cairn", "staging"), "*", SearchOption.AllDirectories).ShouldBeEmpty();

        var rerun = Processes.Run(Repository.PathOf("build.sh"), arguments, Repository.Root).ShouldExitWith(0);
        rerun.Output.ShouldContain("Package: run, first run");
        IntactCheckpoints.ShouldHoldIn(workspace);
    }

    private static (int ExitCode, string Output) RunAndSignal(string[] arguments, string signal, string whenLineContains)
    {
        // Ctrl+C in a terminal sends SIGINT to the whole foreground process group (here the dotnet CLI that `dotnet
        // cake` starts and Cake under it), so the run gets a process group of its own (setsid) and the signal goes to
        // the group. A process also inherits ignored signals, and test runners often ignore SIGINT: `env
        // --default-signal` gives build.sh the disposition a terminal would. SIGTERM goes to the process alone, as a
        // supervisor's `kill` does.
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add("env");
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add(Repository.PathOf("build.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("CI");
        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        var signalled = 0;
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }

            if (line.Contains(whenLineContains, StringComparison.Ordinal) && Interlocked.Exchange(ref signalled, 1) == 0)
            {
                Signals.Send(signal, process.Id, group: signal == "INT");
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // The first build.sh of a test run may pack Cairn.Cake (the engine and the service) and build the sample first.
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"build.sh did not finish; output:\n{output}");
        }

        process.WaitForExit();
        signalled.ShouldBe(1, $"the run never printed '{whenLineContains}'; output:\n{output}");
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
