namespace Cairn.Stages.Tables;

/// <summary>
/// A run of rows held column by column between a reader and a writer or a validation: the data columns, then each
/// row's <c>_source</c> and <c>_error</c>. One batch is reused for a whole file, so memory follows the batch's size,
/// never the file's: a CSV batch ends at <see cref="Rows"/> rows or <see cref="TextChars"/> chars of text; a
/// Parquet batch is one row group. A batch starts small and grows as rows come, so that the thousands of small
/// partitions of a typical pipeline do not each pay for the buffers of a large one.
/// </summary>
internal sealed class TableBatch
{
    /// <summary>The rows of a CSV batch, and of a Parquet row group the stages write.</summary>
    public const int Rows = 65_536;

    /// <summary>The text of a CSV batch (about 8 MB), so that a file of long values still goes in bounded batches.</summary>
    public const long TextChars = 1 << 22;

    // Most partitions hold a few rows to a few thousand. A batch of the sample's one-row days took about 190 KB (1,024
    // rows of every column, 16 KB of record bytes, 32 KB of text) in each of Ingest, Validate and Clean: some 800 MB
    // to allocate and zero over a first run. A large file doubles its way up to Rows in a dozen steps.
    private const int FirstRows = 64;

    public TableBatch(IReadOnlyList<SchemaColumn> schema)
    {
        Schema = schema;
        Columns = [.. schema.Select(c => c.Type.CreateColumn(c.Name, c.Nullable))];
        EnsureCapacity(FirstRows);
    }

    public IReadOnlyList<SchemaColumn> Schema { get; }

    /// <summary>The data columns, in schema order.</summary>
    public TableColumn[] Columns { get; }

    /// <summary>Where each row came from: <c>file:line</c> for CSV, <c>file:row</c> for Parquet, or the input's own <c>_source</c>.</summary>
    public TextColumn Source { get; } = new(Common.IngestedTable.SourceColumn, nullable: true);

    /// <summary>Why a row could not be read cleanly; null when it could.</summary>
    public TextColumn Error { get; } = new(Common.IngestedTable.ErrorColumn, nullable: true);

    /// <summary>Where text values read from CSV live.</summary>
    public CharArena Text { get; } = new();

    /// <summary>Clean CSV records kept as they are, for a CSV output (see <see cref="SetRaw"/>).</summary>
    private byte[] _raw = new byte[1 << 10];
    private int _rawUsed;
    private int[] _rawStart = [];

    // The record's length plus one; 0 for a row held as values.
    private int[] _rawLength = [];

    /// <summary>How many rows the batch holds.</summary>
    public int Count { get; set; }

    public int Capacity { get; private set; }

    /// <summary>Whether the batch is done: <see cref="Rows"/> rows or <see cref="TextChars"/> chars of text (it grows up to there, see <see cref="MakeRoom"/>).</summary>
    public bool IsFull => Count >= Rows || Text.Used + _rawUsed >= TextChars;

    /// <summary>Makes room for one more row, keeping the rows so far; call only when not <see cref="IsFull"/>.</summary>
    public void MakeRoom()
    {
        if (Count >= Capacity)
        {
            Resize(Math.Min(Rows, Capacity * 2));
        }
    }

    /// <summary>Makes room for <paramref name="rows"/> rows, keeping those the batch holds.</summary>
    public void EnsureCapacity(int rows)
    {
        if (rows > Capacity)
        {
            Resize(rows);
        }
    }

    /// <summary>
    /// Keeps a row as the input's record bytes instead of its values: a CSV record whose fields a CSV output writes
    /// back unchanged. Its columns are not set.
    /// </summary>
    public void SetRaw(int row, ReadOnlySpan<byte> record)
    {
        if (_raw.Length - _rawUsed < record.Length)
        {
            // Earlier rows of the batch point into the buffer by offset, so it grows by copying.
            Array.Resize(ref _raw, Math.Max(_raw.Length * 2, _rawUsed + record.Length));
        }

        record.CopyTo(_raw.AsSpan(_rawUsed));
        _rawStart[row] = _rawUsed;
        _rawLength[row] = record.Length + 1;
        _rawUsed += record.Length;
    }

    /// <summary>The record bytes of a row kept by <see cref="SetRaw"/>; false for a row held as values.</summary>
    public bool TryGetRaw(int row, out ReadOnlySpan<byte> record)
    {
        var length = _rawLength[row] - 1;
        record = length < 0 ? default : _raw.AsSpan(_rawStart[row], length);
        return length >= 0;
    }

    /// <summary>
    /// Adds row <paramref name="row"/> of <paramref name="from"/> (a batch of the same schema) as this batch's next
    /// row: its data columns, its text copied; no <c>_source</c> or <c>_error</c>. Call only when not <see cref="IsFull"/>.
    /// </summary>
    public void CopyRow(TableBatch from, int row)
    {
        MakeRoom();
        var to = Count;
        for (var i = 0; i < Columns.Length; i++)
        {
            Columns[i].CopyRow(from.Columns[i], row, to, Text);
        }

        Source.SetNull(to, true);
        Error.SetNull(to, true);
        Count++;
    }

    private void Resize(int rows)
    {
        Array.Resize(ref _rawStart, rows);
        Array.Resize(ref _rawLength, rows);
        foreach (var column in Columns)
        {
            column.Resize(rows);
        }

        Source.Resize(rows);
        Error.Resize(rows);
        Capacity = rows;
    }

    public void Clear()
    {
        Array.Clear(_rawLength, 0, Count);
        Count = 0;
        Text.Clear();
        _rawUsed = 0;
    }
}
