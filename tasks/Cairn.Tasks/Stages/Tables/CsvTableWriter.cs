using Cairn.Stages.Common;

namespace Cairn.Stages.Tables;

/// <summary>
/// Writes CSV as <see cref="StageCsv"/> says (UTF-8 without byte order mark, LF, quotes only where needed), a row kept
/// as its input record (<see cref="TableBatch.SetRaw"/>) by copying the record.
/// </summary>
internal sealed class CsvTableWriter : TableWriter
{
    private readonly CsvOutput _output;

    public CsvTableWriter(string path, IReadOnlyList<SchemaColumn> schema)
    {
        _output = new CsvOutput(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1));
        foreach (var name in schema.Select(c => c.Name).Append(IngestedTable.SourceColumn).Append(IngestedTable.ErrorColumn))
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

            batch.Source.WriteCsv(_output, row);
            batch.Error.WriteCsv(_output, row);
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
