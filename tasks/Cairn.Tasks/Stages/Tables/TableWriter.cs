namespace Cairn.Stages.Tables;

/// <summary>
/// Writes batches to one output file: the data columns, then <c>_source</c> and <c>_error</c> (unless told to leave
/// them out, for a table that is data only, such as a landing stage's partitions). The same rows always
/// give the same bytes. <see cref="Complete"/> finishes the file; a writer disposed without it leaves a partial file,
/// which the engine discards with the failed attempt.
/// </summary>
internal abstract class TableWriter : IDisposable
{
    /// <param name="path">The file to write (its folder is made).</param>
    /// <param name="format">Its format.</param>
    /// <param name="schema">The data columns.</param>
    /// <param name="bookkeeping">Whether <c>_source</c> and <c>_error</c> follow the data columns.</param>
    public static TableWriter Create(string path, TableFormat format, IReadOnlyList<SchemaColumn> schema, bool bookkeeping = true)
    {
        // Each writer opens its file with OutputFile.Create, which makes the folder when it is missing.
        return format == TableFormat.Csv ? new CsvTableWriter(path, schema, bookkeeping) : new ParquetTableWriter(path, schema, bookkeeping);
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
