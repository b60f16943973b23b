namespace Cairn.Stages.Tables;

/// <summary>
/// A read-only stream over an input file that tells the file's own I/O failures from the failures of the code that
/// parses it: Parquet.Net reports a file that is not Parquet with an <see cref="IOException"/> too, but only a failure
/// of the disk or the network is transient (retried), while a damaged file is not. An I/O failure comes out as an
/// <see cref="IOException"/> that names the file, and <see cref="Threw"/> recognises it. Reads complete synchronously,
/// so Parquet.Net's async reads cost no thread-pool hop.
/// </summary>
internal sealed class ObservedStream(Stream inner, string path) : Stream
{
    private IOException? _failure;

    public override bool CanRead => true;

    public override bool CanSeek => inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => Observe(() => inner.Length);

    public override long Position
    {
        get => inner.Position;
        set => Observe(() => inner.Position = value);
    }

    /// <summary>Whether <paramref name="e"/> is (or was caused by) an I/O failure of the file itself.</summary>
    public bool Threw(Exception e)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
        {
            if (ReferenceEquals(cause, _failure))
            {
                return true;
            }
        }

        return false;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return inner.Read(buffer);
        }
        catch (IOException e)
        {
            throw Failed(e);
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override long Seek(long offset, SeekOrigin origin) => Observe(() => inner.Seek(offset, origin));

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException("the input stream is read-only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the input stream is read-only");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private T Observe<T>(Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (IOException e)
        {
            throw Failed(e);
        }
    }

    private IOException Failed(IOException e) => _failure = new IOException($"{path} could not be read: {e.Message}", e);
}
