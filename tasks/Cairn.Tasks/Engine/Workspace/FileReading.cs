using Cairn.Hashing;

namespace Cairn.Engine.Workspace;

/// <summary>
/// What a run knows of a file's content: its hash and, when the hash came from the file itself (read, or vouched for
/// by the stat cache), the stat the file had then and when its reading began. A hash the engine set after writing the
/// file has no stat. The run remembers one per file it looked at (every input and output at 40,000 partitions: 200,000
/// of them); a file the stat cache holds is remembered as the cache's own entry (<see cref="StatCacheEntry"/>), one
/// object per path for both. The hash is kept as its 16 bytes and written out as text only when asked for.
/// </summary>
internal class FileReading
{
    /// <summary>Set in <see cref="Flags"/> when the reading has a stat; the other bits are <see cref="StatCacheEntry"/>'s.</summary>
    private protected const int HasStat = 1;

    // The stat, meaningful when Flags has HasStat: a FileStat? would take 8 bytes more per reading than the bit does.
    private readonly FileStat _stat;

    /// <summary>
    /// <see cref="HasStat"/>, which never changes, and the marks a stat cache entry changes atomically (a field, for
    /// Interlocked): one word, so a reading with its stat, and an entry with its marks, is 88 bytes.
    /// </summary>
    private protected int Flags;

    /// <param name="content">The hash of the file's content.</param>
    /// <param name="stat">The stat the file had when it was read, or null.</param>
    /// <param name="takenAtNs">When the reading began (nanoseconds since the Unix epoch).</param>
    public FileReading(ContentHash content, FileStat? stat, long takenAtNs)
    {
        Content = content;
        TakenAtNs = takenAtNs;
        if (stat is { } known)
        {
            _stat = known;
            Flags = HasStat;
        }
    }

    public ContentHash Content { get; }

    public FileStat? Stat => (Flags & HasStat) != 0 ? _stat : null;

    /// <summary>When the reading began: the stat vouches for the content only if the file's mtime is older than this by the racy margin.</summary>
    public long TakenAtNs { get; }

    /// <summary>The hash as checkpoints and fingerprints write it: 32 hexadecimal digits (a new string on each call).</summary>
    public string Hash => Content.ToString();

    /// <summary>The stat as given, for a reading known to have one.</summary>
    private protected FileStat StatGiven => _stat;

    /// <summary>
    /// Whether the text is <see cref="Hash"/>, without building it: a no-op compares every recorded output's hash. The
    /// hash is written as 32 lowercase hexadecimal digits, so the text is it when it parses to the same value and has
    /// no uppercase digit.
    /// </summary>
    public bool HashIs(string text) =>
        ContentHash.TryParse(text, out var parsed) && parsed == Content && text.AsSpan().IndexOfAnyInRange('A', 'F') < 0;
}
