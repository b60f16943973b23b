using System.Buffers;
using System.IO.Hashing;
using System.Text;

namespace Cairn.Hashing;

/// <summary>
/// Hashes a long text as it is written, in pieces, to the digest <see cref="ContentHasher.HashString"/> gives the whole
/// text: the UTF-8 bytes (no byte order mark, an unpaired surrogate as U+FFFD, a pair split between two pieces kept
/// whole) go to XXH3-128 a few kilobytes at a time. A cell over 80,000 inputs has a canonical text of about 9 million
/// characters: built whole, it and its copies would be 45 MB of garbage for one fingerprint. Its buffers come from the
/// shared pool and go back at <see cref="Finish"/>, so the many small cells of a run allocate little more than the hash state.
/// </summary>
internal sealed class TextHasher
{
    private const int ChunkChars = 4096;

    private readonly XxHash128 _hash = new();
    private readonly Encoder _encoder = Encoding.UTF8.GetEncoder();
    private char[] _chars = ArrayPool<char>.Shared.Rent(ChunkChars);
    private byte[] _bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(ChunkChars));
    private int _filled;

    public TextHasher Append(char value)
    {
        if (_filled == ChunkChars)
        {
            Drain(flush: false);
        }

        _chars[_filled++] = value;
        return this;
    }

    public TextHasher Append(string? value)
    {
        var rest = value.AsSpan();
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

    /// <summary>The digest of everything appended, as <see cref="ContentHasher.HashString"/> of it would be.</summary>
    /// <exception cref="ObjectDisposedException">It was finished already.</exception>
    public ContentHash Finish()
    {
        ObjectDisposedException.ThrowIf(_chars.Length == 0, this);
        Drain(flush: true);
        ArrayPool<char>.Shared.Return(_chars);
        ArrayPool<byte>.Shared.Return(_bytes);
        _chars = [];
        _bytes = [];
        var digest = _hash.GetCurrentHashAsUInt128();
        return new ContentHash(High: (ulong)(digest >> 64), Low: (ulong)digest);
    }

    private void Drain(bool flush)
    {
        var written = _encoder.GetBytes(_chars, 0, _filled, _bytes, 0, flush);
        _hash.Append(_bytes.AsSpan(0, written));
        _filled = 0;
    }
}
