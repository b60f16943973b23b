namespace Cairn.Tests.Hashing;

/// <summary>
/// A read-only stream over bytes that hands out at most as many bytes per read as <c>nextChunk</c> says (a pipe or
/// a socket does the same), so that a hash fed by it is streamed in uneven pieces.
/// </summary>
internal sealed class ChunkedStream(byte[] content, Func<int> nextChunk) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // At least one byte while any is left: a read of 0 means the end.
        var length = Math.Min(Math.Min(Math.Max(1, nextChunk()), buffer.Length), content.Length - _position);
        content.AsSpan(_position, length).CopyTo(buffer);
        _position += length;
        return length;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
