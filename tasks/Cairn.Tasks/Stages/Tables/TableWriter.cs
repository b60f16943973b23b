namespace Cairn.Stages.Tables;

/// <summary>
/// Writes batches to one output file: the data columns, then <c>_source</c> and <c>_error</c>. The same rows always
/// give the same bytes. <see cref="Complete"/> finishes the file; a writer disposed without it leaves a partial file,
/// which the engine discards with the failed attempt.
/// </summary>
internal abstract class TableWriter : IDisposable
{
    public static TableWriter Create(string path, TableFormat format, IReadOnlyList<SchemaColumn> schema)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        return format == TableFormat.Csv ? new CsvTableWriter(path, schema) : new ParquetTableWriter(path, schema);
    }

    public abstract void Write(TableBatch batch);

    public abstract void Complete();

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected abstract void Dispose(bool disposing);
}
