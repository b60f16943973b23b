using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Cairn.Hashing;

namespace Cairn.Bench;

/// <summary>
/// Hashes a file, or every file in a folder one by one, with the engine's <see cref="ContentHasher"/>
/// (System.IO.Hashing's XxHash128) and with <c>xxhsum -H2</c>, in alternating pairs: one pass of Cairn's in this
/// process, then one xxhsum process over the same files. Other work on the machine then weighs on both sides of
/// each pair alike. Reports wall time and processor time (user + system) of each side; the processor time is the
/// steadier figure on a loaded machine, since time spent waiting for a core is not in it.
/// </summary>
internal static class HashCommand
{
    private const double BytesPerGib = 1024.0 * 1024 * 1024;

    public static int Run(string path, int pairs)
    {
        // Full paths, as the engine hashes them: a relative one costs .NET a getcwd per open.
        path = Path.GetFullPath(path);
        var folder = Directory.Exists(path);
        var files = folder ? Directory.GetFiles(path).Order(StringComparer.Ordinal).ToArray() : [path];
        if (files.Length == 0)
        {
            Console.Error.WriteLine($"bench: {path} holds no file to hash.");
            return 2;
        }

        var gib = files.Sum(f => new FileInfo(f).Length) / BytesPerGib;

        // One pass each apart: the files into the page cache, the hashing loops compiled; the digests compared.
        var first = Stopwatch.StartNew();
        var digests = HashAll(files);
        var firstSeconds = first.Elapsed.TotalSeconds;
        string[] theirs;
        try
        {
            theirs = Xxhsum(files, folder ? path : null);
        }
        catch (Win32Exception e)
        {
            Console.Error.WriteLine($"bench: hash compares with xxhsum, which did not start ({e.Message}): apt-get install -y xxhash");
            return 2;
        }

        for (var i = 0; i < files.Length; i++)
        {
            if (theirs.Length != files.Length || theirs[i] != digests[i])
            {
                Console.Error.WriteLine($"bench: Cairn's hash of {files[i]} is {digests[i]}; xxhsum -H2 gave {(theirs.Length == files.Length ? theirs[i] : $"{theirs.Length} digests for {files.Length} files")}");
                return 1;
            }
        }

        var cairn = new List<(double Wall, double Cpu)>();
        var xxhsum = new List<(double Wall, double Cpu)>();
        var process = Process.GetCurrentProcess();
        for (var i = 0; i < pairs; i++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            HashAll(files);
            var wall = clock.Elapsed.TotalSeconds;
            process.Refresh();
            cairn.Add((wall, (process.TotalProcessorTime - cpu).TotalSeconds));

            var children = ChildCpu.Total();
            clock.Restart();
            Xxhsum(files, folder ? path : null);
            wall = clock.Elapsed.TotalSeconds;
            xxhsum.Add((wall, (ChildCpu.Total() - children).TotalSeconds));
        }

        Print(folder ? "files" : "hash", folder ? files.Length.ToString(CultureInfo.InvariantCulture) : digests[0]);
        Print("pairs", pairs);
        Print("cairn_gib_per_s", gib / Median(cairn.Select(c => c.Wall)));
        Print("xxhsum_gib_per_s", gib / Median(xxhsum.Select(c => c.Wall)));
        Print("cairn_cpu_s_per_gib", Median(cairn.Select(c => c.Cpu)) / gib);
        Print("xxhsum_cpu_s_per_gib", Median(xxhsum.Select(c => c.Cpu)) / gib);

        // Each pair's ratio first, then their median: a pair shares the machine's load of its moment.
        Print("wall_ratio", Median(cairn.Zip(xxhsum, (c, x) => x.Wall / c.Wall)));
        Print("cpu_ratio", Median(cairn.Zip(xxhsum, (c, x) => x.Cpu / c.Cpu)));
        Print("cairn_wall_s", Spread(cairn.Select(c => c.Wall)));
        Print("xxhsum_wall_s", Spread(xxhsum.Select(c => c.Wall)));
        Print("cairn_cpu_s", Spread(cairn.Select(c => c.Cpu)));
        Print("xxhsum_cpu_s", Spread(xxhsum.Select(c => c.Cpu)));
        if (folder)
        {
            Print("cairn_us_per_file", Median(cairn.Select(c => c.Wall)) / files.Length * 1e6);
            Print("xxhsum_us_per_file", Median(xxhsum.Select(c => c.Wall)) / files.Length * 1e6);
        }

        Print("first_pass_gib_per_s", gib / firstSeconds);
        return 0;
    }

    private static string[] HashAll(string[] files) => Array.ConvertAll(files, f => ContentHasher.HashFile(f).ToString());

    // xxhsum prints "DIGEST  NAME" per file, in the order given; a folder's files are named relative to it, so that
    // 10,000 of them fit on one command line.
    private static string[] Xxhsum(string[] files, string? folder)
    {
        var start = new ProcessStartInfo("xxhsum") { WorkingDirectory = folder ?? Environment.CurrentDirectory };
        start.ArgumentList.Add("-H2");
        foreach (var file in files)
        {
            start.ArgumentList.Add(folder is null ? file : Path.GetFileName(file));
        }

        return ChildProcess.Output(start, "xxhsum -H2").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')[0]).ToArray();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Spread(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{sorted[0]:0.####}..{sorted[^1]:0.####}");
    }

    private static void Print(string name, object value) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name} {(value is double d ? d.ToString("0.###", CultureInfo.InvariantCulture) : value)}"));
}
