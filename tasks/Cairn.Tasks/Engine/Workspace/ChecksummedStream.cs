using System.IO.Hashing;
using Cairn.Hashing;

namespace Cairn.Engine.Workspace;

/// <summary>
/// A forward-only stream over another that hashes (<see cref="ContentHasher"/>'s XXH3-128) every byte read through it
/// or written through it, up to a limit when reading: a file checked by a checksum of its body is read and checked in
/// one pass, without the whole body in memory. Put a <see cref="BufferedStream"/> over it for many small reads or
/// writes: the hash is then given large pieces. Disposing it leaves the inner stream open.
/// </summary>
internal sealed class ChecksummedStream : Stream
{
    private readonly Stream _inner;
    private readonly XxHash128 _hash = new();
    private long _left;

    /// <param name="inner">The stream read or written.</param>
    /// <param name="readLimit">How many bytes a read may take from <paramref name="inner"/> in all (the body before a checksum); unlimited when null.</param>
    public ChecksummedStream(Stream inner, long? readLimit = null)
    {
        _inner = inner;
        _left = readLimit ?? long.MaxValue;
    }

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    /// <summary>How many bytes went through so far.</summary>
    public override long Position
    {
        get => Through;
        set => throw new NotSupportedException();
    }

    /// <summary>How many bytes were read or written through the stream.</summary>
    public long Through { get; private set; }

    /// <summary>The digest of every byte that went through: what <see cref="ContentHasher.HashBytes"/> gives them whole.</summary>
    public ContentHash Digest => ContentHasher.Digest(_hash);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
        _hash.Append(buffer[..read]);
        _left -= read;
        Through += read;
        return read;
    }

    /// <summary>Reads, and hashes, what is left up to the read limit (or the end): the digest is then the whole body's.</summary>
    public void ReadToLimit()
    {
        Span<byte> chunk = stackalloc byte[4096];
        while (Read(chunk) > 0)
        {
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _inner.Write(buffer);
        _hash.Append(buffer);
        Through += buffer.Length;
    }

    public override void Flush() => _inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
