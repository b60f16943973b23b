using BenchmarkDotNet.Attributes;
using Cairn.Hashing;

namespace Cairn.Benchmarks;

/// <summary>XXH3-128 over memory (no I/O) at the sizes the engine sees: a canonical fingerprint text, a day's CSV, a large file's read chunk.</summary>
[MemoryDiagnoser]
public class HashingBenchmarks
{
    private byte[] _data = [];

    [Params(256, 4096, 1 << 20)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Size];
        new Random(42).NextBytes(_data);
    }

    [Benchmark]
    public ContentHash HashBytes() => ContentHasher.HashBytes(_data);
}
