namespace Cairn.Tests.Stages;

/// <summary>A file opened for reading whose reads fail with an I/O error (EIO) after a number of bytes, as a flaky disk or share does.</summary>
internal sealed class FailingStream(string path, long failAfter) : Stream
{
    private readonly FileStream _file = File.OpenRead(path);

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _file.Length;

    public override long Position
    {
        get => _file.Position;
        set => _file.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_file.Position + count > failAfter)
        {
            throw new IOException("Input/output error");
        }

        return _file.Read(buffer, offset, count);
    }

    public override long Seek(long offset, SeekOrigin origin) => _file.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file.Dispose();
        }

        base.Dispose(disposing);
    }
}
