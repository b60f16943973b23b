using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using CsvHelper;

namespace Cairn.Stages.Tables;

/// <summary>
/// Streams a CSV file: UTF-8 (a byte order mark is skipped), comma separated, the first non-blank line its header.
/// Header names and fields are trimmed of white space (quoted ones too); header names are lower-cased. A row that
/// cannot be read cleanly is kept with why in its error (malformed quoting, more or fewer fields than the header; a
/// short row gets nulls, a long one is cut). Every column is text.
/// </summary>
internal sealed class CsvTableReader : TableReader
{
    private const string HeaderFix = "give every column a distinct name in the file's header.";

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static ReadOnlySpan<byte> ParquetMagic => "PAR1"u8;

    // Any byte but printable ASCII, and the quote: a record holding one is read field by field.
    private static readonly SearchValues<byte> NotPlain = SearchValues.Create([.. Enumerable.Range(0, 256).Where(b => b is < 0x20 or > 0x7E or '"').Select(b => (byte)b)]);

    private readonly CsvReader _reader;
    private readonly Dictionary<long, CsvMalformedReason> _malformed;
    private readonly TableHeader _header;
    private readonly string _name;

    // For each file column: the batch column it fills, or Source / Error.
    private readonly int[] _targets;

    // Where each field of the current record ends, when TryCut cut it.
    private readonly int[] _ends;

    private TableBatch? _columnsBatch;
    private TextColumn?[] _columns = [];

    private CsvTableReader(string path, CsvReader reader, Dictionary<long, CsvMalformedReason> malformed, TableHeader header)
        : base(path)
    {
        _reader = reader;
        _malformed = malformed;
        _header = header;
        _name = System.IO.Path.GetFileName(path);
        Schema = [.. header.DataIndexes.Select(i => new SchemaColumn(header.Names[i], ColumnType.Text, Nullable: true))];
        _targets = new int[header.Names.Length];
        _ends = new int[header.Names.Length];
        for (var i = 0; i < _targets.Length; i++)
        {
            _targets[i] = i == header.SourceIndex ? SourceTarget : i == header.ErrorIndex ? ErrorTarget : Array.IndexOf(header.DataIndexes, i);
        }
    }

    public override TableFormat Format => TableFormat.Csv;

    public override IReadOnlyList<SchemaColumn> Schema { get; }

    public override bool HasBookkeeping => _header.HasBookkeeping;

    public override bool NeedsEmptyBatch => false;

    private const int SourceTarget = -1;
    private const int ErrorTarget = -2;

    public static CsvTableReader Open(string path, Func<string, Stream> open)
    {
        var stream = TableFiles.OpenObserved(path, open);
        CsvReader? reader = null;
        var opened = false;
        try
        {
            Span<byte> head = stackalloc byte[4];
            var length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            head = head[..length];
            if (length == 0)
            {
                throw new TableReadException(TableProblemKind.NoHeader, $"{path} is empty (0 bytes), so it has no header. Fix: re-export the file with its header row, or remove it from the partition.");
            }

            if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            {
                throw new TableReadException(TableProblemKind.Unreadable, $"{path} is UTF-16 text (it starts with a UTF-16 byte order mark). Fix: re-export the file as UTF-8.");
            }

            if (head.SequenceEqual(ParquetMagic))
            {
                throw new TableReadException(TableProblemKind.WrongFormat, $"{path} is a Parquet file (it starts with PAR1), not CSV. Fix: name it .parquet, or deliver the CSV export instead.");
            }

            // CsvHelper would keep a UTF-8 byte order mark as part of the first header name.
            stream.Seek(head.StartsWith(Utf8Bom) ? Utf8Bom.Length : 0, SeekOrigin.Begin);
            var malformed = new Dictionary<long, CsvMalformedReason>();
            reader = CsvReader.Create(stream, Options with { OnMalformedRecord = m => malformed.TryAdd(m.LineNumber, m.Reason) }, leaveOpen: false);
            if (!reader.Read())
            {
                throw new TableReadException(TableProblemKind.NoHeader, $"{path} has no header row, only blank lines. Fix: re-export the file with its header row, or remove it from the partition.");
            }

            var line = reader.LineNumber;
            var names = new string[reader.FieldCount];
            for (var i = 0; i < names.Length; i++)
            {
                var utf8 = reader.GetSpan(i);
                if (!Utf8.IsValid(utf8))
                {
                    throw NotUtf8(path, reader);
                }

                names[i] = Encoding.UTF8.GetString(utf8);
            }

            var header = TableHeader.Create(path, string.Create(CultureInfo.InvariantCulture, $"line {line}: header column"), names, HeaderFix);
            var table = new CsvTableReader(path, reader, malformed, header);
            opened = true;
            return table;
        }
        finally
        {
            if (!opened)
            {
                reader?.Dispose();
                stream.Dispose();
            }
        }
    }

    public override bool ReadInto(TableBatch batch)
    {
        var width = _targets.Length;
        var columns = batch.Columns;
        while (!batch.IsFull)
        {
            if (!_reader.Read())
            {
                return false;
            }

            batch.MakeRoom();
            var row = batch.Count;
            var line = _reader.LineNumber;
            var fields = _reader.FieldCount;
            var record = _reader.RawRecord;
            if (fields == width && TryCut(record))
            {
                if (KeepRecords && !_header.HasBookkeeping)
                {
                    batch.SetRaw(row, record);
                }
                else
                {
                    Split(record, batch, row);
                }

                if (!_header.HasBookkeeping)
                {
                    if (WantSource)
                    {
                        batch.Source.Set(row, SourceOf(line, batch.Text));
                    }

                    batch.Error.SetNull(row, true);
                }

                batch.Count++;
                RowsRead++;
                continue;
            }

            string? problem = null;
            if (_malformed.Count > 0 && _malformed.Remove(line, out var reason))
            {
                problem = Describe(reason);
            }

            if (fields != width)
            {
                problem = Join(problem, string.Create(CultureInfo.InvariantCulture, $"row has {fields} fields, header has {width}"));
            }

            ReadOnlyMemory<char> source = default;
            ReadOnlyMemory<char> carriedError = default;
            for (var i = 0; i < width; i++)
            {
                var target = _targets[i];
                var wanted = target >= 0 ? IsWanted(target) : target == ErrorTarget || WantSource;
                ReadOnlyMemory<char> value = default;
                if (i < fields)
                {
                    if (wanted)
                    {
                        value = Decode(_reader.GetSpan(i), batch.Text);
                    }
                    else if (!Utf8.IsValid(_reader.GetSpan(i)))
                    {
                        throw NotUtf8(Path, _reader);
                    }
                }

                if (target >= 0)
                {
                    ((TextColumn)columns[target]).Set(row, value);
                }
                else if (target == SourceTarget)
                {
                    source = value;
                }
                else
                {
                    carriedError = value;
                }
            }

            // Fields past the header's width are dropped, but they are still the file's text.
            for (var i = width; i < fields; i++)
            {
                if (!Utf8.IsValid(_reader.GetSpan(i)))
                {
                    throw NotUtf8(Path, _reader);
                }
            }

            if (WantSource)
            {
                batch.Source.Set(row, _header.HasBookkeeping ? source : SourceOf(line, batch.Text));
            }

            batch.Error.Set(row, problem is null ? carriedError : batch.Text.Add(Join(carriedError.Length > 0 ? carriedError.ToString() : null, problem)));
            batch.Count++;
            RowsRead++;
        }

        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _reader.Dispose();
        }
    }

    private static CsvReaderOptions Options { get; } = CsvReaderOptions.Default with
    {
        // Never guess the separator: a one-column file with a ';' in it must not switch separators.
        Separator = ',',

        // The header is read as a record so that its line number is known.
        HasHeader = false,
        TrimWhitespace = true,
        TrimInsideQuotes = true,
        TrackLineNumbers = true,
    };

    private static string? Join(string? first, string second) => first is null ? second : $"{first}; {second}";

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "malformed quoting: a quote inside an unquoted field",
        CsvMalformedReason.TextAfterClosingQuote => "malformed quoting: text after a closing quote",
        CsvMalformedReason.UnterminatedQuote => "malformed quoting: a quoted field is never closed",
        _ => $"malformed record: {reason}",
    };

    /// <summary>
    /// Finds where each field of a record ends when the fields are the record's bytes between commas, as they are:
    /// printable ASCII without quotes, and no field starting or ending with a space (which would be trimmed). Such a
    /// record is most records of most files; it needs neither CsvHelper's field decoding nor trimming, and as CSV it is
    /// written back unchanged. False for any other record (the reader then decodes it field by field).
    /// </summary>
    private bool TryCut(ReadOnlySpan<byte> record)
    {
        if (record.IsEmpty || record.IndexOfAny(NotPlain) >= 0)
        {
            return false;
        }

        var start = 0;
        for (var i = 0; i < _ends.Length; i++)
        {
            var comma = record[start..].IndexOf((byte)',');
            var end = comma < 0 ? record.Length : start + comma;
            if (end > start && (record[start] == ' ' || record[end - 1] == ' '))
            {
                return false;
            }

            _ends[i] = end;
            start = end + 1;
        }

        return true;
    }

    /// <summary>Sets a cut record's fields (see <see cref="TryCut"/>): widened to text in one go, then sliced.</summary>
    private void Split(ReadOnlySpan<byte> record, TableBatch batch, int row)
    {
        var chars = batch.Text.Reserve(record.Length);
        Ascii.ToUtf16(record, chars, out var written);
        var text = batch.Text.Commit(written, 0, written);
        var columns = ColumnsOf(batch);
        var start = 0;
        for (var i = 0; i < columns.Length; i++)
        {
            var end = _ends[i];
            columns[i]?.Set(row, text.Slice(start, end - start));
            start = end + 1;
        }
    }

    /// <summary>The column each file column fills in <paramref name="batch"/> (null for one not wanted), worked out once per batch.</summary>
    private TextColumn?[] ColumnsOf(TableBatch batch)
    {
        if (!ReferenceEquals(_columnsBatch, batch))
        {
            _columnsBatch = batch;
            _columns = [.. _targets.Select(target => target switch
            {
                >= 0 when IsWanted(target) => (TextColumn)batch.Columns[target],
                ErrorTarget => batch.Error,
                SourceTarget when WantSource => batch.Source,
                _ => null,
            })];
        }

        return _columns;
    }

    /// <summary>
    /// A field as text: UTF-8 decoded, then trimmed of the white space CsvHelper leaves (it removes spaces and tabs;
    /// no-break spaces and the other Unicode white space go here).
    /// </summary>
    private ReadOnlyMemory<char> Decode(ReadOnlySpan<byte> utf8, CharArena text)
    {
        if (utf8.IsEmpty)
        {
            return default;
        }

        var chars = text.Reserve(utf8.Length);
        var written = 0;

        // Most fields are a few ASCII bytes, for which a plain loop beats the vectorised transcoder's setup.
        if (utf8.Length <= 16)
        {
            while (written < utf8.Length && utf8[written] < 0x80)
            {
                chars[written] = (char)utf8[written];
                written++;
            }
        }

        if (written < utf8.Length)
        {
            if (Utf8.ToUtf16(utf8[written..], chars[written..], out _, out var rest, replaceInvalidSequences: false) != OperationStatus.Done)
            {
                throw NotUtf8(Path, _reader);
            }

            written += rest;
        }

        var start = 0;
        var end = written;
        while (start < end && char.IsWhiteSpace(chars[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(chars[end - 1]))
        {
            end--;
        }

        return text.Commit(written, start, end - start);
    }

    private ReadOnlyMemory<char> SourceOf(long line, CharArena text)
    {
        // The file name, not its path: the output must not depend on where the landing zone sits.
        var chars = text.Reserve(_name.Length + 21);
        _name.CopyTo(chars);
        chars[_name.Length] = ':';
        line.TryFormat(chars[(_name.Length + 1)..], out var digits, default, CultureInfo.InvariantCulture);
        var length = _name.Length + 1 + digits;
        return text.Commit(length, 0, length);
    }

    /// <summary>The error for the current record's first byte that is not UTF-8, naming its line.</summary>
    private static TableReadException NotUtf8(string path, CsvReader reader)
    {
        var record = reader.RawRecord;
        var offset = 0;
        while (offset < record.Length && Rune.DecodeFromUtf8(record[offset..], out _, out var consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }

        var line = reader.LineNumber + record[..offset].Count((byte)'\n');
        return new TableReadException(
            TableProblemKind.Unreadable,
            string.Create(CultureInfo.InvariantCulture, $"{path} line {line} is not valid UTF-8. Fix: re-export the file as UTF-8."));
    }
}
