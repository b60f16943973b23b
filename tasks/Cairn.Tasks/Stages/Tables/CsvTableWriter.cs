using Cairn.Stages.Common;

namespace Cairn.Stages.Tables;

/// <summary>
/// Writes CSV as <see cref="StageCsv"/> says (UTF-8 without byte order mark, LF, quotes only where needed), a row kept
/// as its input record (<see cref="TableBatch.SetRaw"/>) by copying the record.
/// </summary>
internal sealed class CsvTableWriter : TableWriter
{
    private readonly CsvOutput _output;
    private readonly bool _bookkeeping;

    /// <param name="path">The file.</param>
    /// <param name="schema">The data columns.</param>
    /// <param name="bookkeeping">Whether <c>_source</c> and <c>_error</c> follow the data columns.</param>
    /// <param name="append">Whether to add rows to the end of a file this writer wrote before (no header then), rather than start it.</param>
    public CsvTableWriter(string path, IReadOnlyList<SchemaColumn> schema, bool bookkeeping = true, bool append = false)
    {
        _bookkeeping = bookkeeping;
        _output = new CsvOutput(append
            ? new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 1)
            : OutputFile.Create(path, bufferSize: 1));
        if (append)
        {
            return;
        }

        var names = schema.Select(c => c.Name);
        foreach (var name in bookkeeping ? names.Append(IngestedTable.SourceColumn).Append(IngestedTable.ErrorColumn) : names)
        {
            _output.WriteField(name);
        }

        _output.EndRecord();
    }

    public override void Write(TableBatch batch)
    {
        var columns = batch.Columns;
        for (var row = 0; row < batch.Count; row++)
        {
            if (batch.TryGetRaw(row, out var record))
            {
                _output.WriteRaw(record);
            }
            else
            {
                foreach (var column in columns)
                {
                    column.WriteCsv(_output, row);
                }
            }

            if (_bookkeeping)
            {
                batch.Source.WriteCsv(_output, row);
                batch.Error.WriteCsv(_output, row);
            }

            _output.EndRecord();
        }
    }

    public override void Complete() => _output.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _output.Dispose();
        }
    }
}
