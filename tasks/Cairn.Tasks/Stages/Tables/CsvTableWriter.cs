using Cairn.Stages.Common;
using CsvHelper;

namespace Cairn.Stages.Tables;

/// <summary>Writes CSV as <see cref="StageCsv"/> says (UTF-8 without byte order mark, LF, quotes only where needed).</summary>
internal sealed class CsvTableWriter : TableWriter
{
    private readonly CsvWriter _writer;

    public CsvTableWriter(string path, IReadOnlyList<SchemaColumn> schema)
    {
        _writer = StageCsv.OpenWriter(path);
        _writer.WriteHeader([.. schema.Select(c => c.Name), IngestedTable.SourceColumn, IngestedTable.ErrorColumn]);
    }

    public override void Write(TableBatch batch)
    {
        var columns = batch.Columns;
        for (var row = 0; row < batch.Count; row++)
        {
            foreach (var column in columns)
            {
                column.WriteCsv(_writer, row);
            }

            batch.Source.WriteCsv(_writer, row);
            batch.Error.WriteCsv(_writer, row);
            _writer.EndRecord();
        }
    }

    public override void Complete() => _writer.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _writer.Dispose();
        }
    }
}
