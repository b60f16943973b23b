
namespace Cairn.Stages.Tables;

/// <summary>A column of text: every CSV column (an empty field is null), and Parquet string columns.</summary>
internal sealed class TextColumn(string name, bool nullable) : TypedColumn<ReadOnlyMemory<char>>(name, ColumnType.Text, nullable)
{
    /// <summary>Sets a value read from text, where empty means null.</summary>
    public void Set(int row, ReadOnlyMemory<char> value)
    {
        Values[row] = value;
        SetNull(row, value.IsEmpty);
    }

    public override void CopyRow(TableColumn source, int from, int to, CharArena text)
    {
        var other = (TextColumn)source;
        var isNull = other.IsNull(from);

        // A Parquet string may be empty and not null: kept as it is, not read as null as Set would.
        Values[to] = isNull ? default : text.Add(other.Values[from].Span);
        SetNull(to, isNull);
    }

    public ReadOnlySpan<char> Span(int row) => IsNull(row) ? default : Values[row].Span;

    public override string Text(int row) => new(Span(row));

    public override void WriteCsv(CsvOutput writer, int row) => writer.WriteField(Span(row));
}
