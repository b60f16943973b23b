using System.Runtime.InteropServices;

namespace Cairn.Tests.Support;

/// <summary>
/// Sends a signal by name through libc's <c>kill(2)</c> (Linux's numbers), as the shell's <c>kill</c> does. Not the
/// <c>kill</c> program: it is procps', which a machine with only the .NET SDK (a Debian slim image) does not have.
/// </summary>
internal static partial class Signals
{
    /// <summary>Sends the signal to a process, or to every process of a group when <paramref name="group"/> is true.</summary>
    /// <param name="name">The signal's name without SIG: INT, TERM, HUP, KILL, STOP or CONT.</param>
    /// <param name="pid">The process, or the group's leader.</param>
    /// <param name="group">Whether the signal goes to the process group of <paramref name="pid"/> (<c>kill -- -pid</c>).</param>
    public static void Send(string name, int pid, bool group = false)
    {
        if (Kill(group ? -pid : pid, Number(name)) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            // ESRCH: the process (or group) has already ended, as after the kill program's "No such process".
            if (error != 3)
            {
                throw new InvalidOperationException($"kill(SIG{name}, {(group ? -pid : pid)}) failed with errno {error}");
            }
        }
    }

    private static int Number(string name) => name switch
    {
        "HUP" => 1,
        "INT" => 2,
        "KILL" => 9,
        "TERM" => 15,
        "CONT" => 18,
        "STOP" => 19,
        _ => throw new ArgumentException($"no signal {name}; give INT, TERM, HUP, KILL, STOP or CONT", nameof(name)),
    };

    [LibraryImport("libc.so.6", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
