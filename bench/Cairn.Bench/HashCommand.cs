using System.Diagnostics;
using System.Globalization;
using Cairn.Hashing;

namespace Cairn.Bench;

/// <summary>
/// Hashes one file with the engine's <see cref="ContentHasher"/> (System.IO.Hashing's XxHash128) several times and
/// reports the median, and the first pass apart: in a fresh process it also pays for compiling the hashing loops.
/// </summary>
internal static class HashCommand
{
    public static int Run(string file, int repeat)
    {
        var length = new FileInfo(file).Length;
        var seconds = new List<double>();

        // One pass apart: the file into the page cache, the hashing loops compiled.
        var first = Stopwatch.StartNew();
        var hash = ContentHasher.HashFile(file);
        var firstSeconds = first.Elapsed.TotalSeconds;
        for (var i = 0; i < repeat; i++)
        {
            var clock = Stopwatch.StartNew();
            hash = ContentHasher.HashFile(file);
            seconds.Add(clock.Elapsed.TotalSeconds);
        }

        seconds.Sort();
        var median = seconds[seconds.Count / 2];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hash {hash}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seconds {median:0.######}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gib_per_s {GibPerSecond(length, median):0.###}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first_pass_gib_per_s {GibPerSecond(length, firstSeconds):0.###}"));
        return 0;
    }

    private static double GibPerSecond(long bytes, double seconds) => bytes / seconds / (1024.0 * 1024 * 1024);
}
