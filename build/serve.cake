// The Serve target (issue 14): runs the Cairn service (tasks/Cairn.Service), an ASP.NET Core program that this Cake
// process cannot host (its runtime has no ASP.NET Core), in the foreground. ./build.sh --target=Serve builds it
// beside the stage tasks. Every --name=value argument but Cake's own goes on to it; SIGINT and SIGTERM go on to it;
// its exit code is the script's.
using System.Runtime.InteropServices;

static readonly string[] CakeOwnArguments = { "target", "t", "verbosity", "v", "exclusive", "e", "settings_skipverification", "settings_noreport", "settings_enablescriptcache", "invalidate-script-cache" };

int ServeCairn(string repositoryRoot, string tasksDirectory)
{
    var service = System.IO.Path.Combine(tasksDirectory, "Cairn.Service.dll");
    if (!System.IO.File.Exists(service))
    {
        System.Console.Error.WriteLine($"{service} is not built; ./build.sh --target=Serve builds it.");
        return 2;
    }

    var start = new System.Diagnostics.ProcessStartInfo("dotnet") { UseShellExecute = false };
    start.ArgumentList.Add(service);
    start.ArgumentList.Add("--repository=" + repositoryRoot);
    foreach (var argument in Context.Arguments.GetArguments().Where(a => !CakeOwnArguments.Contains(a.Key, StringComparer.OrdinalIgnoreCase)))
    {
        foreach (var value in argument.Value)
        {
            start.ArgumentList.Add(value is null ? $"--{argument.Key}" : $"--{argument.Key}={value}");
        }
    }

    using var process = System.Diagnostics.Process.Start(start);
    void Forward(PosixSignalContext context, string signal)
    {
        context.Cancel = true;
        if (OperatingSystem.IsWindows())
        {
            return; // The service shares the console and gets Ctrl+C itself.
        }

        try
        {
            System.Diagnostics.Process.Start("kill", $"-{signal} {process.Id}")?.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No kill command: the service still stops when its terminal's Ctrl+C reaches it.
        }
    }

    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Forward(c, "INT"));
    using var terminate = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Forward(c, "TERM"));
    process.WaitForExit();
    return process.ExitCode;
}
