namespace Cairn.Tests.Support;

/// <summary>
/// <c>strace</c> as a fault injector for real processes: <c>-e inject=</c> fails or delays the system calls that touch
/// one file (<c>-P</c>), counted per thread. Tests that need it skip, with the reason, where it is missing or where
/// ptrace is not allowed.
/// </summary>
internal static class Strace
{
    public const string Missing = "needs strace, and ptrace allowed (apt-get install strace)";

    private static readonly Lazy<bool> Usable = new(() =>
    {
        try
        {
            return File.Exists("/usr/bin/strace") && Processes.Run("/usr/bin/strace", ["-qq", "-o", "/dev/null", "true"], Path.GetTempPath(), timeoutSeconds: 30).ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    public static bool Works => Usable.Value;

    /// <summary>The command that runs a program with <paramref name="injection"/> (e.g. <c>pread64:error=EIO:when=3</c>) on the calls that touch <paramref name="path"/>.</summary>
    public static IReadOnlyList<string> Inject(string path, string injection) =>
        ["/usr/bin/strace", "-f", "--seccomp-bpf", "-qq", "-o", "/dev/null", "-P", path, "-e", "trace=" + injection.Split(':')[0], "-e", "inject=" + injection];
}
