using Parquet;
using Parquet.Schema;

namespace Cairn.Stages.Tables;

/// <summary>
/// One column of a <see cref="TableBatch"/>: a value and a null flag per row, for rows 0 to the batch's row count.
/// A CSV column is text; a Parquet column keeps its Parquet type, so that Parquet to Parquet loses nothing.
/// </summary>
internal abstract class TableColumn(string name, ColumnType type, bool nullable)
{
    private bool[] _nulls = [];

    public string Name => name;

    public ColumnType Type => type;

    /// <summary>Whether the column may hold nulls (a Parquet OPTIONAL column; every CSV column).</summary>
    public bool Nullable => nullable;

    public bool IsNull(int row) => _nulls[row];

    public void SetNull(int row, bool isNull) => _nulls[row] = isNull;

    /// <summary>Makes room for <paramref name="rows"/> rows, keeping the values it holds.</summary>
    public virtual void Resize(int rows) => Array.Resize(ref _nulls, rows);

    /// <summary>The value of a numeric column (integer, float, decimal) as a double.</summary>
    /// <exception cref="NotSupportedException">The column is not numeric.</exception>
    public virtual double Number(int row) => throw new NotSupportedException($"column '{Name}' is {Type.Name}, not a number");

    /// <summary>The value as CSV text: what <see cref="WriteCsv"/> writes, empty for null.</summary>
    public abstract string Text(int row);

    public abstract void WriteCsv(CsvOutput writer, int row);

    /// <summary>The Parquet field this column is written as (a new one for each writer: a field belongs to one schema).</summary>
    public DataField CreateField() => Type.CreateField(Name, Nullable);

    /// <summary>
    /// Sets row <paramref name="to"/> to row <paramref name="from"/> of <paramref name="source"/>, a column of the same
    /// type in another batch; text is copied into <paramref name="text"/>, the arena of this column's batch, since the
    /// source batch's text is reused when it is read into again.
    /// </summary>
    public abstract void CopyRow(TableColumn source, int from, int to, CharArena text);

    /// <summary>Reads the column's chunk of a row group into rows 0 to <paramref name="rows"/>.</summary>
    public abstract ValueTask ReadAsync(ParquetRowGroupReader group, DataField field, int rows);

    /// <summary>Writes rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> as the column's chunk of a row group.</summary>
    public abstract Task WriteAsync(ParquetRowGroupWriter group, DataField field, int start, int count);
}
