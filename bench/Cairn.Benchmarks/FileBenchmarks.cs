using BenchmarkDotNet.Attributes;
using Cairn.Engine.Workspace;
using Cairn.Hashing;

namespace Cairn.Benchmarks;

/// <summary>What deciding costs per input file: reading and hashing a small file versus only stat-ing it (statx, or FileInfo).</summary>
[MemoryDiagnoser]
public class FileBenchmarks
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cairn-benchmarks-files-" + Environment.ProcessId);
    private string _file = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(_folder);
        _file = Path.Combine(_folder, "weather.csv");
        File.WriteAllText(_file, "date,precipitation,temp_max,temp_min,wind,weather\n2013-05-03,0.0,17.2,7.8,2.9,sun\n");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Baseline = true)]
    public ContentHash HashSmallFile() => ContentHasher.HashFile(_file);

    [Benchmark]
    public long StatxSmallFile() => FileStats.Read(_file, out var stat) == FileStatKind.RegularFile ? stat.Size : -1;

    [Benchmark]
    public long FileInfoSmallFile()
    {
        var info = new FileInfo(_file);
        return info.Length ^ info.LastWriteTimeUtc.Ticks;
    }
}
