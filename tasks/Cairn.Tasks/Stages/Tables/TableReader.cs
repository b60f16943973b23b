namespace Cairn.Stages.Tables;

/// <summary>
/// Streams one input file into <see cref="TableBatch"/>es. Opening reads the header (or the Parquet footer) and
/// throws <see cref="TableReadException"/> for a file the stages cannot read; so may reading, for damage found on the
/// way (invalid UTF-8 on line 900,000, a damaged row group). A transient I/O failure stays an <see cref="IOException"/>.
/// </summary>
internal abstract class TableReader(string path) : IDisposable
{
    public string Path => path;

    public abstract TableFormat Format { get; }

    /// <summary>The data columns (bookkeeping columns left out), in file order.</summary>
    public abstract IReadOnlyList<SchemaColumn> Schema { get; }

    /// <summary>Whether the file carries its own <c>_source</c> and <c>_error</c> (an ingest output).</summary>
    public abstract bool HasBookkeeping { get; }

    /// <summary>Data rows read so far.</summary>
    public long RowsRead { get; protected set; }

    /// <summary>
    /// Whether a batch must be empty before <see cref="ReadInto"/> (a Parquet row group fills a batch alone); a CSV
    /// reader adds to a batch that the previous file left part full.
    /// </summary>
    public abstract bool NeedsEmptyBatch { get; }

    /// <summary>
    /// Which data columns to decode (by index in <see cref="Schema"/>), and whether to make <c>_source</c>; the others
    /// are left empty. All of them unless set.
    /// </summary>
    public bool[]? Wanted { get; set; }

    public bool WantSource { get; set; } = true;

    /// <summary>
    /// Whether a CSV reader may keep a clean record as its bytes instead of its values (<see cref="TableBatch.SetRaw"/>),
    /// for a CSV output that writes it back unchanged. Off unless set.
    /// </summary>
    public bool KeepRecords { get; set; }

    /// <summary>
    /// Adds rows to <paramref name="batch"/> (whose columns match <see cref="Schema"/>) until it is full or the file
    /// ends. Returns true when it stopped because the batch is full (more rows may follow), false at the end of the file.
    /// </summary>
    public abstract bool ReadInto(TableBatch batch);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Opens a file in the given format.</summary>
    /// <exception cref="TableReadException">The file cannot be read as that format.</exception>
    /// <exception cref="IOException">A transient I/O failure.</exception>
    public static TableReader Open(string path, TableFormat format, Func<string, Stream> open) =>
        format == TableFormat.Csv ? CsvTableReader.Open(path, open) : ParquetTableReader.Open(path, open);

    protected bool IsWanted(int column) => Wanted is null || Wanted[column];

    protected abstract void Dispose(bool disposing);
}
