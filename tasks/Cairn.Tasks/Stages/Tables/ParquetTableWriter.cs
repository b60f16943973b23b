using Parquet;
using Parquet.Schema;

namespace Cairn.Stages.Tables;

/// <summary>
/// Writes Parquet with <see cref="ParquetSettings"/>: each column as its type (text as an optional string), then
/// <c>_source</c> and <c>_error</c> as optional strings (unless left out); row groups of at most <see cref="TableBatch.Rows"/> rows.
/// </summary>
internal sealed class ParquetTableWriter : TableWriter
{
    private readonly SynchronousWriteStream _stream;
    private readonly ParquetWriter _writer;
    private readonly DataField[] _fields;
    private readonly bool _bookkeeping;

    /// <param name="path">The file.</param>
    /// <param name="schema">The data columns.</param>
    /// <param name="bookkeeping">Whether <c>_source</c> and <c>_error</c> follow the data columns.</param>
    public ParquetTableWriter(string path, IReadOnlyList<SchemaColumn> schema, bool bookkeeping = true)
    {
        _bookkeeping = bookkeeping;
        DataField[] data = [.. schema.Select(c => c.Type.CreateField(c.Name, c.Nullable))];
        _fields = bookkeeping
            ? [.. data, new DataField<string>(Common.IngestedTable.SourceColumn, true), new DataField<string>(Common.IngestedTable.ErrorColumn, true)]
            : data;
        var options = ParquetSettings.Writer();
        foreach (var text in (bookkeeping ? data.Append(_fields[^1]) : data).Where(f => f.ClrType == typeof(string) || f.ClrType == typeof(ReadOnlyMemory<char>)))
        {
            // Parquet.Net tries a dictionary only for the columns it is told to, and gives it up after a sample for a
            // column of mostly distinct values. _source always is one (a file and a line per row): not even tried.
            options.ColumnEncodingHints[text.Name] = EncodingHint.Dictionary;
        }

        _stream = new SynchronousWriteStream(OutputFile.Create(path, FileAccess.ReadWrite, bufferSize: 1 << 16));
        _writer = ParquetWriter.CreateAsync(new ParquetSchema(_fields), _stream, options).GetAwaiter().GetResult();
    }

    public override void Write(TableBatch batch)
    {
        for (var start = 0; start < batch.Count; start += TableBatch.Rows)
        {
            var count = Math.Min(TableBatch.Rows, batch.Count - start);
            using var group = _writer.CreateRowGroup();
            var columns = batch.Columns;
            for (var i = 0; i < columns.Length; i++)
            {
                columns[i].WriteAsync(group, _fields[i], start, count).GetAwaiter().GetResult();
            }

            if (_bookkeeping)
            {
                batch.Source.WriteAsync(group, _fields[^2], start, count).GetAwaiter().GetResult();
                batch.Error.WriteAsync(group, _fields[^1], start, count).GetAwaiter().GetResult();
            }

            group.CompleteValidate();
        }
    }

    public override void Complete()
    {
        // The footer is written when the writer is disposed.
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _stream.Flush();
    }

    protected override void Dispose(bool disposing)
    {
        // Without Complete no footer is written: the file of a failed attempt is left incomplete, and discarded.
        if (disposing)
        {
            _stream.Dispose();
        }
    }
}
