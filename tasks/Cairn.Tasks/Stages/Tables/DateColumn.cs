using System.Globalization;
using Cairn.Stages.Contracts;

namespace Cairn.Stages.Tables;

/// <summary>A Parquet DATE column, written to CSV as <c>yyyy-MM-dd</c>.</summary>
internal sealed class DateColumn(string name, ColumnType type, bool nullable) : TypedColumn<DateOnly>(name, type, nullable)
{
    public override string Text(int row) => IsNull(row) ? string.Empty : ContractValues.FormatDate(Values[row]);

    public override void WriteCsv(CsvOutput writer, int row)
    {
        Span<char> text = stackalloc char[16];
        var length = 0;
        if (!IsNull(row))
        {
            Values[row].TryFormat(text, out length, ContractValues.DateFormat, CultureInfo.InvariantCulture);
        }

        writer.WriteField(text[..length]);
    }
}
