
namespace Cairn.Stages.Tables;

/// <summary>A Parquet BOOLEAN column, written to CSV as <c>true</c> and <c>false</c>.</summary>
internal sealed class BooleanColumn(string name, ColumnType type, bool nullable) : TypedColumn<bool>(name, type, nullable)
{
    public override string Text(int row) => IsNull(row) ? string.Empty : Values[row] ? "true" : "false";

    public override void WriteCsv(CsvOutput writer, int row) => writer.WriteField(Text(row).AsSpan());
}
