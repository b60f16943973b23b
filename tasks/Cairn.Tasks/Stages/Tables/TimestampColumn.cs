using Cairn.Stages.Contracts;

namespace Cairn.Stages.Tables;

/// <summary>A Parquet TIMESTAMP column, written to CSV as <see cref="ContractValues.FormatTimestamp(DateTime)"/> does.</summary>
internal sealed class TimestampColumn(string name, ColumnType type, bool nullable) : TypedColumn<DateTime>(name, type, nullable)
{
    public override string Text(int row) => IsNull(row) ? string.Empty : ContractValues.FormatTimestamp(Values[row]);

    public override void WriteCsv(CsvOutput writer, int row)
    {
        Span<char> text = stackalloc char[ContractValues.MaxTimestampLength];
        var length = IsNull(row) ? 0 : ContractValues.FormatTimestamp(Values[row], text);
        writer.WriteField(text[..length]);
    }
}
