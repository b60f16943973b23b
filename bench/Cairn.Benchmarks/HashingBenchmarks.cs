using System.IO.Hashing;
using BenchmarkDotNet.Attributes;
using Cairn.Hashing;

namespace Cairn.Benchmarks;

/// <summary>
/// XXH3-128 over memory (no I/O) at the sizes the engine sees: a canonical fingerprint text, a day's CSV, a large
/// file's read chunk. The baseline is System.IO.Hashing's <see cref="XxHash128"/> called directly; what
/// <see cref="ContentHasher"/> adds on top of it should be nothing.
/// </summary>
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

    [Benchmark(Baseline = true)]
    public UInt128 XxHash128Directly() => XxHash128.HashToUInt128(_data);

    [Benchmark]
    public ContentHash HashBytes() => ContentHasher.HashBytes(_data);
}
