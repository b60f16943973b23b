using System.Globalization;
using System.Numerics;

namespace Cairn.Stages.Tables;

/// <summary>A Parquet integer column of any width, written to CSV in invariant digits.</summary>
internal sealed class IntegerColumn<T>(string name, ColumnType type, bool nullable) : TypedColumn<T>(name, type, nullable)
    where T : struct, IBinaryInteger<T>
{
    public override double Number(int row) => double.CreateTruncating(Values[row]);

    public override string Text(int row) => IsNull(row) ? string.Empty : Values[row].ToString(null, CultureInfo.InvariantCulture);

    public override void WriteCsv(CsvOutput writer, int row)
    {
        Span<char> text = stackalloc char[24];
        var length = 0;
        if (!IsNull(row))
        {
            Values[row].TryFormat(text, out length, default, CultureInfo.InvariantCulture);
        }

        writer.WriteField(text[..length]);
    }
}
