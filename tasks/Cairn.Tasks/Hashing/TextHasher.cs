using System.IO.Hashing;
using System.Text;

namespace Cairn.Hashing;

/// <summary>
/// Hashes a long text as it is written, in pieces, to the digest <see cref="ContentHasher.HashString"/> gives the whole
/// text: the UTF-8 bytes (no byte order mark, an unpaired surrogate as U+FFFD, a pair split between two pieces kept
/// whole) go to XXH3-128 a few kilobytes at a time. A cell over 80,000 inputs has a canonical text of about 9 million
/// characters: built whole, it and its copies would be 45 MB of garbage for one fingerprint. A hasher is used again and
/// again (<see cref="ForThisThread"/>): a no-op run fingerprints 120,000 small cells, and a hash state, an encoder and
/// two buffers made for each were a third of the cost of fingerprinting them.
/// </summary>
internal sealed class TextHasher
{
    private const int ChunkChars = 4096;
    private const int HashChars = 32;

    [ThreadStatic]
    private static TextHasher? t_hasher;

    private readonly XxHash128 _hash = new();
    private readonly Encoder _encoder = Encoding.UTF8.GetEncoder();
    private readonly char[] _chars = new char[ChunkChars];
    private readonly byte[] _bytes = new byte[Encoding.UTF8.GetMaxByteCount(ChunkChars)];
    private int _filled;

    /// <summary>
    /// This thread's hasher, started over. Whatever a caller appended and never finished (it threw halfway) is dropped
    /// here, not carried into the next text; a caller must finish before it calls anything that may hash on this thread.
    /// </summary>
    public static TextHasher ForThisThread() => (t_hasher ??= new TextHasher()).StartOver();

    public TextHasher Append(char value)
    {
        if (_filled == ChunkChars)
        {
            Drain(flush: false);
        }

        _chars[_filled++] = value;
        return this;
    }

    public TextHasher Append(string? value) => Append(value.AsSpan());

    public TextHasher Append(ReadOnlySpan<char> value)
    {
        var rest = value;
        while (rest.Length > 0)
        {
            if (_filled == ChunkChars)
            {
                Drain(flush: false);
            }

            var take = Math.Min(rest.Length, ChunkChars - _filled);
            rest[..take].CopyTo(_chars.AsSpan(_filled));
            _filled += take;
            rest = rest[take..];
        }

        return this;
    }

    /// <summary>The hash as its 32 lower-case hexadecimal digits, the text <see cref="ContentHash.ToString"/> gives, without making that string.</summary>
    public TextHasher Append(ContentHash hash)
    {
        if (ChunkChars - _filled < HashChars)
        {
            Drain(flush: false);
        }

        hash.Format(_chars.AsSpan(_filled, HashChars));
        _filled += HashChars;
        return this;
    }

    /// <summary>The digest of everything appended since the hasher was made or started over; it then starts over.</summary>
    public ContentHash Finish()
    {
        Drain(flush: true);
        var digest = _hash.GetCurrentHashAsUInt128();
        StartOver();
        return new ContentHash(High: (ulong)(digest >> 64), Low: (ulong)digest);
    }

    /// <summary>Drops everything appended so far: the next text is hashed alone.</summary>
    public TextHasher StartOver()
    {
        _hash.Reset();
        _encoder.Reset();
        _filled = 0;
        return this;
    }

    private void Drain(bool flush)
    {
        var written = _encoder.GetBytes(_chars, 0, _filled, _bytes, 0, flush);
        _hash.Append(_bytes.AsSpan(0, written));
        _filled = 0;
    }
}
