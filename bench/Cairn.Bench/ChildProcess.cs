using System.Diagnostics;

namespace Cairn.Bench;

/// <summary>A child process of the bench (a measured stage run, xxhsum) run to its end for its standard output.</summary>
internal static class ChildProcess
{
    /// <summary>
    /// Starts the child, reads its standard error alongside its output (so that neither pipe fills and stalls it),
    /// and returns the output; a child that fails throws with both, <paramref name="what"/> naming it.
    /// </summary>
    public static string Output(ProcessStartInfo start, string what)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            // xxhsum draws its progress with carriage returns.
            throw new InvalidOperationException($"{what} failed ({process.ExitCode}): {output}{errors.Result.Replace('\r', '\n').Trim()}");
        }

        return output;
    }
}
