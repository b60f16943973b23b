using System.Globalization;

namespace Cairn.Stages.Tables;

/// <summary>A Parquet DECIMAL column, written to CSV in invariant digits.</summary>
internal sealed class DecimalColumn(string name, ColumnType type, bool nullable) : TypedColumn<decimal>(name, type, nullable)
{
    public override double Number(int row) => (double)Values[row];

    public override string Text(int row) => IsNull(row) ? string.Empty : Values[row].ToString(CultureInfo.InvariantCulture);

    public override void WriteCsv(CsvOutput writer, int row)
    {
        Span<char> text = stackalloc char[40];
        var length = 0;
        if (!IsNull(row))
        {
            Values[row].TryFormat(text, out length, default, CultureInfo.InvariantCulture);
        }

        writer.WriteField(text[..length]);
    }
}
