using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Cairn.Engine.Checkpoints;
using Cairn.Engine.Plan;
using Cairn.Engine.Scan;
using Cairn.Engine.Workspace;
using Cairn.Hashing;

namespace Cairn.Benchmarks;

/// <summary>
/// The per-cell work of a no-op decision besides stat: the fingerprint's canonical text and hash, and parsing the
/// cell's <c>.ok</c>; plus loading the stat cache. Inputs: a partitioned cell (3) and a whole-dataset one (1,461).
/// </summary>
[MemoryDiagnoser]
public class EngineRecordBenchmarks
{
    private CellBinding _cell = null!;
    private string[] _hashes = [];
    private byte[] _checkpoint = [];
    private byte[] _statCache = [];

    [Params(3, 1461)]
    public int Inputs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var inputs = Enumerable.Range(0, Inputs)
            .Select(i => new BoundFile("Features", $"data/features/date={new DateOnly(2012, 1, 1).AddDays(i):yyyy-MM-dd}/features.csv", $"/work/data/features/{i}/features.csv"))
            .ToList();
        _hashes = inputs.Select(i => ContentHasher.HashString(i.LogicalPath).ToString()).ToArray();
        _cell = new CellBinding("Train", null, inputs, [new BoundFile("Model", "data/model/model.json", "/work/data/model/model.json")], new Dictionary<string, object>(), new Dictionary<string, string> { ["Seed"] = "42" });
        var checkpoint = new Checkpoint
        {
            Stage = "Train",
            Fingerprint = Fingerprint(),
            HashAlgorithm = ContentHasher.Algorithm,
            CodeVersion = new string('c', 32),
            Inputs = inputs.Select((input, i) => new CheckpointFile(input.Property, input.LogicalPath, _hashes[i])).ToList(),
            Outputs = [new CheckpointFile("Model", "data/model/model.json", new string('d', 32))],
            Parameters = _cell.Parameters,
            Metrics = new Dictionary<string, double> { ["RowsIn"] = 1461 },
            RunId = "20260101T000000Z-1-abcd",
            Environment = "local",
            StartedAt = DateTimeOffset.UnixEpoch,
            FinishedAt = DateTimeOffset.UnixEpoch,
            DurationMs = 1,
            ToolVersion = "1.0.0",
        };
        _checkpoint = JsonSerializer.SerializeToUtf8Bytes(checkpoint, CheckpointJsonContext.Default.Checkpoint);

        // A stat cache the size of the sample workspace's: about five files per partition.
        var entries = Enumerable.Range(0, Inputs * 5)
            .Select(i => new KeyValuePair<string, StatCacheEntry>($"/work/data/features/date=2012-01-01/{i}/features.csv", new StatCacheEntry(new FileStat(1, (ulong)i, 100, 1, 1), new ContentHash((ulong)i, 1), 5)))
            .ToList();
        _statCache = StatCache.Serialize(entries, new MeasuredGranularity(1_000_000, 1));
    }

    [Benchmark]
    public string Fingerprint() => Cairn.Engine.Scan.Fingerprint.Compute(_cell, "Cairn.Pipelines.Weather.TrainRainModel", new string('c', 32), _hashes);

    [Benchmark]
    public int ParseCheckpoint() => JsonSerializer.Deserialize(_checkpoint, CheckpointJsonContext.Default.Checkpoint)!.Inputs.Count;

    [Benchmark]
    public int LoadStatCache()
    {
        return StatCache.TryParse(_statCache, out var entries, out _, out var reason) ? entries.Count : throw new InvalidDataException(reason);
    }
}
