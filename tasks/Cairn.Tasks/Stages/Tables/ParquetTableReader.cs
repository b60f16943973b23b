using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Meta.Proto;
using Parquet.Schema;

namespace Cairn.Stages.Tables;

/// <summary>
/// Streams a Parquet file one row group at a time. Only flat columns of strings, integers, floats, decimals, booleans,
/// dates and timestamps are read; each keeps its Parquet type. Column names are trimmed and lower-cased as CSV headers
/// are. Memory follows the largest row group, not the file: Parquet.Net decodes a column chunk whole.
/// </summary>
internal sealed class ParquetTableReader : TableReader
{
    private const string HeaderFix = "give every column a distinct name when writing the file.";
    private const string Redeliver = "Fix: deliver the file again (or re-export it), or remove it from the partition.";

    private static ReadOnlySpan<byte> Magic => "PAR1"u8;

    private readonly ObservedStream _stream;
    private readonly ParquetReader _reader;
    private readonly DataField[] _fields;
    private readonly Parquet.Meta.Type?[] _physical;
    private readonly TableHeader _header;
    private readonly string _name;
    private readonly int[] _targets;
    private int _group;

    private ParquetTableReader(string path, ObservedStream stream, ParquetReader reader, DataField[] fields, ColumnType[] types, TableHeader header)
        : base(path)
    {
        _stream = stream;
        _reader = reader;
        _fields = fields;
        _header = header;
        _name = System.IO.Path.GetFileName(path);

        // Only flat columns get this far: the schema's elements are the root, then one per column.
        _physical = [.. Enumerable.Range(0, fields.Length).Select(i => reader.Metadata!.Schema[i + 1].Type)];
        Schema = [.. header.DataIndexes.Select(i => new SchemaColumn(header.Names[i], types[i], fields[i].IsNullable))];
        _targets = [.. Enumerable.Range(0, fields.Length).Select(i => i == header.SourceIndex ? -1 : i == header.ErrorIndex ? -2 : Array.IndexOf(header.DataIndexes, i))];
    }

    public override TableFormat Format => TableFormat.Parquet;

    public override IReadOnlyList<SchemaColumn> Schema { get; }

    public override bool HasBookkeeping => _header.HasBookkeeping;

    public override bool NeedsEmptyBatch => true;

    public static ParquetTableReader Open(string path, Func<string, Stream> open)
    {
        var stream = TableFiles.OpenObserved(path, open);
        ParquetReader? reader = null;
        var opened = false;
        try
        {
            CheckFrame(path, stream);
            reader = Parse(stream, path, "is not a valid Parquet file", () => ParquetReader.CreateAsync(stream, ParquetSettings.Reader(), leaveStreamOpen: true));
            var fields = new DataField[reader.Schema.Fields.Count];
            var types = new ColumnType[fields.Length];
            for (var i = 0; i < fields.Length; i++)
            {
                var field = reader.Schema.Fields[i];
                var type = field is DataField data ? ColumnType.FromField(data) : null;
                if (type is null)
                {
                    throw new TableReadException(
                        TableProblemKind.UnsupportedColumn,
                        $"{path} column '{field.Name}' is {Describe(field)}, which the built-in stages do not read: they read flat columns of strings, integers, floats, decimals, booleans, dates and timestamps. Fix: write that column as one of those, or leave it out of the file.");
                }

                fields[i] = (DataField)field;
                types[i] = type;
            }

            var header = TableHeader.Create(path, "schema: column", [.. fields.Select(f => f.Name)], HeaderFix);
            foreach (var bookkeeping in new[] { header.SourceIndex, header.ErrorIndex }.Where(i => i >= 0 && types[i].Kind != ColumnKind.Text))
            {
                throw new TableReadException(
                    TableProblemKind.BadHeader,
                    $"{path} column '{header.Names[bookkeeping]}' is {types[bookkeeping].Name}; the ingest's bookkeeping columns are strings. Fix: rename the column, or write it as strings.");
            }

            var table = new ParquetTableReader(path, stream, reader, fields, types, header);
            opened = true;
            return table;
        }
        finally
        {
            if (!opened)
            {
                reader?.DisposeAsync().AsTask().GetAwaiter().GetResult();
                stream.Dispose();
            }
        }
    }

    public override bool ReadInto(TableBatch batch)
    {
        if (_group >= _reader.RowGroupCount)
        {
            return false;
        }

        if (batch.Count != 0)
        {
            throw new InvalidOperationException("a Parquet row group is read into an empty batch");
        }

        var group = _reader.RowGroups[_group];
        var rows = CheckGroup(group);
        batch.EnsureCapacity(rows);
        for (var i = 0; i < _fields.Length; i++)
        {
            var target = _targets[i];
            TableColumn? column = target switch
            {
                >= 0 when IsWanted(target) => batch.Columns[target],
                -1 when WantSource => batch.Source,
                -2 => batch.Error,
                _ => null,
            };
            if (column is not null)
            {
                var field = _fields[i];
                Parse(_stream, Path, $"row group {_group + 1} of {_reader.RowGroupCount}, column '{field.Name}', cannot be decoded", async () =>
                {
                    await column.ReadAsync(group, field, rows).ConfigureAwait(false);
                    return true;
                });
            }
        }

        if (!_header.HasBookkeeping)
        {
            for (var row = 0; row < rows; row++)
            {
                if (WantSource)
                {
                    batch.Source.Set(row, SourceOf(RowsRead + row + 1, batch.Text));
                }

                batch.Error.SetNull(row, true);
            }
        }

        batch.Count = rows;
        RowsRead += rows;
        _group++;
        return _group < _reader.RowGroupCount;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _stream.Dispose();
        }
    }

    /// <summary>Checks the magic bytes at both ends and the footer's length, so that a file that is not Parquet or was cut short says so plainly.</summary>
    private static void CheckFrame(string path, ObservedStream stream)
    {
        var length = stream.Length;
        if (length == 0)
        {
            throw new TableReadException(TableProblemKind.BadParquet, $"{path} is empty (0 bytes), not a Parquet file. {Redeliver}");
        }

        Span<byte> head = stackalloc byte[4];
        head = head[..stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
        if (!head.SequenceEqual(Magic))
        {
            var text = head.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E) ? string.Empty : $" (it starts with the text '{Encoding.ASCII.GetString(head)}', like a CSV file)";
            throw new TableReadException(
                TableProblemKind.BadParquet,
                $"{path} is not a Parquet file: it does not start with PAR1{text}. Fix: deliver the Parquet export, or name a CSV file .csv.");
        }

        Span<byte> tail = stackalloc byte[8];
        if (length < 12 || Seek(stream, length - tail.Length).ReadAtLeast(tail, tail.Length, throwOnEndOfStream: false) < tail.Length || !tail[4..].SequenceEqual(Magic))
        {
            throw new TableReadException(
                TableProblemKind.BadParquet,
                string.Create(CultureInfo.InvariantCulture, $"{path} is truncated: it does not end with the Parquet footer (PAR1), so it was cut short ({length:N0} bytes) while being written or copied. {Redeliver}"));
        }

        var footer = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footer <= 0 || footer > length - 12)
        {
            throw new TableReadException(
                TableProblemKind.BadParquet,
                string.Create(CultureInfo.InvariantCulture, $"{path} is damaged: its footer says it is {footer:N0} bytes long, in a file of {length:N0} bytes. {Redeliver}"));
        }

        Seek(stream, 0);
    }

    private static ObservedStream Seek(ObservedStream stream, long position)
    {
        stream.Seek(position, SeekOrigin.Begin);
        return stream;
    }

    /// <summary>Checks that a row group holds every column of the schema, as the schema's type, with a value (or null) per row.</summary>
    private int CheckGroup(ParquetRowGroupReader group)
    {
        var at = string.Create(CultureInfo.InvariantCulture, $"{Path} row group {_group + 1} of {_reader.RowGroupCount}");
        const string Fix = "the row group does not match the file's schema. Fix: re-export the file (every row group must hold every column of the schema, as the schema's type).";
        if (group.RowCount > int.MaxValue)
        {
            throw new TableReadException(TableProblemKind.BadParquet, string.Create(CultureInfo.InvariantCulture, $"{at} has {group.RowCount:N0} rows, more than a row group can have here. Fix: write row groups of fewer rows."));
        }

        var rows = (int)group.RowCount;
        for (var i = 0; i < _fields.Length; i++)
        {
            var name = _fields[i].Name;
            var chunk = group.GetMetadata(_fields[i])?.MetaData;
            if (chunk is null)
            {
                throw new TableReadException(TableProblemKind.BadParquet, $"{at} has no data for column '{name}': {Fix}");
            }

            if (chunk.Type != _physical[i])
            {
                throw new TableReadException(TableProblemKind.BadParquet, $"{at} stores column '{name}' as {chunk.Type}, where the schema says {_physical[i]}: {Fix}");
            }

            if (chunk.NumValues != rows)
            {
                throw new TableReadException(TableProblemKind.BadParquet, string.Create(CultureInfo.InvariantCulture, $"{at} has {chunk.NumValues:N0} values in column '{name}' for {rows:N0} rows: {Fix}"));
            }
        }

        return rows;
    }

    /// <summary>
    /// Runs Parquet.Net on the file. A failure of the file's I/O comes out as the <see cref="IOException"/> the stream
    /// threw (transient); any other failure of the parse means the file is damaged, whatever type Parquet.Net gives it.
    /// </summary>
    private static T Parse<T>(ObservedStream stream, string path, string what, Func<Task<T>> parse)
    {
        try
        {
            return parse().GetAwaiter().GetResult();
        }
        catch (Exception e) when (stream.Threw(e) && e is not IOException)
        {
            throw new IOException($"{path} could not be read: {e.Message}", e);
        }
        catch (Exception e) when (!stream.Threw(e) && IsParseFailure(e))
        {
            throw new TableReadException(TableProblemKind.BadParquet, $"{path} {what}: {e.Message}. {Redeliver}", e);
        }
    }

    private static bool IsParseFailure(Exception e) =>
        e is ParquetException or ThriftProtocolException or IOException or InvalidDataException or InvalidOperationException
            or NotSupportedException or ArgumentException or IndexOutOfRangeException or OverflowException or FormatException;

    private static string Describe(Field field) => field switch
    {
        DataField { IsArray: true } => "a repeated (list) column",
        DataField data when data.ClrType == typeof(ReadOnlyMemory<byte>) || data.ClrType == typeof(byte[]) => "binary (BYTE_ARRAY without a string type)",
        DataField data when data.ClrType == typeof(TimeSpan) || data.ClrType == typeof(TimeOnly) => "a time of day",
        DataField data when data.ClrType == typeof(Guid) => "a UUID",
        DataField data => $"of type {data.ClrType.Name}",
        ListField => "a list",
        MapField => "a map",
        StructField => "a struct",
        _ => $"a {field.SchemaType} field",
    };

    private ReadOnlyMemory<char> SourceOf(long row, CharArena text)
    {
        var chars = text.Reserve(_name.Length + 21);
        _name.CopyTo(chars);
        chars[_name.Length] = ':';
        row.TryFormat(chars[(_name.Length + 1)..], out var digits, default, CultureInfo.InvariantCulture);
        var length = _name.Length + 1 + digits;
        return text.Commit(length, 0, length);
    }
}
