using System.Diagnostics;
using System.Globalization;
using Cairn.Hashing;

namespace Cairn.Bench;

/// <summary>Hashes one file with the engine's <see cref="ContentHasher"/> several times and reports the median.</summary>
internal static class HashCommand
{
    public static int Run(string file, int repeat)
    {
        var length = new FileInfo(file).Length;
        var seconds = new List<double>();
        ContentHash hash = default;

        // One untimed pass: the file into the page cache, the hashing loops compiled.
        ContentHasher.HashFile(file);
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
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gib_per_s {length / median / (1024.0 * 1024 * 1024):0.###}"));
        return 0;
    }
}
