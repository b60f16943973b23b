using Cairn.Hashing;

namespace Cairn.Tests.Reliability;

/// <summary>
/// Rewrites the raw files of a campaign while a run reads them, the way <c>cp</c> re-delivers a file: truncated, the
/// first half written, a pause, the rest written. Each rewrite gives a file the bytes it had (half of the time) or its
/// other variant. It knows every state a file passed through (any prefix of either variant, a reader may land in the
/// middle of a write), so a checkpoint's recorded input hash can be traced back to the bytes it stands for.
/// </summary>
internal sealed class ConcurrentWriter : IDisposable
{
    private readonly Dictionary<string, byte[][]> _variants;
    private readonly Dictionary<string, int> _current;
    private readonly Dictionary<string, Dictionary<string, byte[]>> _states = new(StringComparer.Ordinal);
    private readonly Random _random;
    private Thread? _thread;
    private volatile bool _stopping;

    /// <param name="files">Each raw file and its two variants; each file starts as its first.</param>
    /// <param name="seed">Seeds which file, which variant and how long each pause is.</param>
    public ConcurrentWriter(IReadOnlyDictionary<string, (byte[] First, byte[] Second)> files, int seed)
    {
        _variants = files.ToDictionary(f => f.Key, f => new[] { f.Value.First, f.Value.Second }, StringComparer.Ordinal);
        _current = files.ToDictionary(f => f.Key, _ => 0, StringComparer.Ordinal);
        _random = new Random(seed);
        foreach (var (file, variants) in _variants)
        {
            var states = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var variant in variants)
            {
                for (var length = 0; length <= variant.Length; length++)
                {
                    states.TryAdd(ContentHasher.HashBytes(variant.AsSpan(0, length)).ToString(), variant[..length]);
                }
            }

            _states[file] = states;
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, variants[0]);
        }
    }

    /// <summary>Rewrites that left a file with the bytes it had.</summary>
    public int SameBytes { get; private set; }

    /// <summary>Rewrites that changed a file to its other variant.</summary>
    public int OtherBytes { get; private set; }

    /// <summary>The bytes a file held (whole or in part) whose hash is <paramref name="hash"/>; null when it never held them.</summary>
    public byte[]? StateOf(string file, string hash) => _states[file].GetValueOrDefault(hash);

    /// <summary>The file's bytes now (the writer stopped).</summary>
    public byte[] Now(string file) => _variants[file][_current[file]];

    /// <summary>Starts rewriting random files, one at a time, until <see cref="Stop"/>.</summary>
    public void Start()
    {
        _stopping = false;
        _thread = new Thread(Rewrite) { IsBackground = true, Name = "concurrent writer" };
        _thread.Start();
    }

    /// <summary>Lets the rewrite in progress finish (every file whole again) and stops.</summary>
    public void Stop()
    {
        _stopping = true;
        _thread?.Join();
        _thread = null;
    }

    public void Dispose() => Stop();

    private void Rewrite()
    {
        var files = _variants.Keys.Order(StringComparer.Ordinal).ToArray();
        while (!_stopping)
        {
            var file = files[_random.Next(files.Length)];
            var same = _random.Next(2) == 0;
            var next = same ? _current[file] : 1 - _current[file];
            var bytes = _variants[file][next];
            using (var writer = new FileStream(file, FileMode.Truncate, FileAccess.Write, FileShare.ReadWrite))
            {
                writer.Write(bytes, 0, bytes.Length / 2);
                writer.Flush();
                Thread.Sleep(_random.Next(5, 40));
                writer.Write(bytes, bytes.Length / 2, bytes.Length - (bytes.Length / 2));
            }

            _current[file] = next;
            if (same)
            {
                SameBytes++;
            }
            else
            {
                OtherBytes++;
            }

            Thread.Sleep(_random.Next(0, 60));
        }
    }
}
