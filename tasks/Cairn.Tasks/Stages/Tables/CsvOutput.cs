using System.Buffers;
using System.Text.Unicode;

namespace Cairn.Stages.Tables;

/// <summary>
/// Writes the CSV of an ingest output, byte for byte as <see cref="Common.StageCsv"/>'s CsvHelper writer would (UTF-8
/// without byte order mark, LF, a field quoted only when it holds a comma, a quote, CR or LF, quotes doubled), and in
/// addition copies a clean input record's bytes as they are (<see cref="WriteRaw"/>). CsvHelper's writer has no way to
/// write bytes that are already CSV, and the copy is what makes a CSV to CSV ingest several times faster: most records
/// of most files need no change at all.
/// </summary>
internal sealed class CsvOutput(Stream stream) : IDisposable
{
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");

    // Rented rather than allocated: an ingest writes one output per partition, thousands in a run, and a new 64 KB
    // array for each is memory the runtime must zero and collect again.
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
    private int _used;
    private bool _inRecord;

    /// <summary>Writes a text field, quoting it when it needs quotes.</summary>
    public void WriteField(ReadOnlySpan<char> value)
    {
        Separate();
        if (value.IndexOfAny(NeedsQuotes) < 0)
        {
            Encode(value);
            return;
        }

        WriteByte((byte)'"');
        for (var quote = value.IndexOf('"'); quote >= 0; quote = value.IndexOf('"'))
        {
            Encode(value[..(quote + 1)]);
            WriteByte((byte)'"');
            value = value[(quote + 1)..];
        }

        Encode(value);
        WriteByte((byte)'"');
    }

    /// <summary>Writes one or more fields that are CSV already (a clean input record, whose fields need no quotes).</summary>
    public void WriteRaw(ReadOnlySpan<byte> fields)
    {
        Separate();
        Write(fields);
    }

    public void EndRecord()
    {
        WriteByte((byte)'\n');
        _inRecord = false;
    }

    public void Flush()
    {
        stream.Write(_buffer, 0, _used);
        _used = 0;
        stream.Flush();
    }

    public void Dispose()
    {
        stream.Dispose();
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void Separate()
    {
        if (_inRecord)
        {
            WriteByte((byte)',');
        }

        _inRecord = true;
    }

    private void Encode(ReadOnlySpan<char> value)
    {
        while (!value.IsEmpty)
        {
            // Invalid UTF-16 becomes U+FFFD, as CsvHelper writes it.
            Room(Math.Min(value.Length * 3, _buffer.Length));
            Utf8.FromUtf16(value, _buffer.AsSpan(_used), out var read, out var written);
            _used += written;
            value = value[read..];
        }
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            Room(Math.Min(bytes.Length, _buffer.Length));
            var length = Math.Min(bytes.Length, _buffer.Length - _used);
            bytes[..length].CopyTo(_buffer.AsSpan(_used));
            _used += length;
            bytes = bytes[length..];
        }
    }

    private void WriteByte(byte value)
    {
        Room(1);
        _buffer[_used++] = value;
    }

    private void Room(int bytes)
    {
        if (_buffer.Length - _used < bytes)
        {
            stream.Write(_buffer, 0, _used);
            _used = 0;
        }
    }
}
