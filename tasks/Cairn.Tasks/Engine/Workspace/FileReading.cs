using Cairn.Hashing;

namespace Cairn.Engine.Workspace;

/// <summary>
/// What a run knows of a file's content: its hash and, when the hash came from the file itself (read, or vouched for
/// by the stat cache), the stat the file had then and when that stat was taken. A hash the engine set after writing
/// the file has no stat. The run remembers one per file it looked at (every input and output at 40,000 partitions:
/// 200,000 of them), so the hash is kept as its 16 bytes and written out as text only when asked for.
/// </summary>
internal sealed record FileReading(ContentHash Content, FileStat? Stat, long TakenAtNs)
{
    /// <summary>The hash as checkpoints and fingerprints write it: 32 hexadecimal digits (a new string on each call).</summary>
    public string Hash => Content.ToString();

    /// <summary>
    /// Whether the text is <see cref="Hash"/>, without building it: a no-op compares every recorded output's hash. The
    /// hash is written as 32 lowercase hexadecimal digits, so the text is it when it parses to the same value and has
    /// no uppercase digit.
    /// </summary>
    public bool HashIs(string text) =>
        ContentHash.TryParse(text, out var parsed) && parsed == Content && text.AsSpan().IndexOfAnyInRange('A', 'F') < 0;
}
