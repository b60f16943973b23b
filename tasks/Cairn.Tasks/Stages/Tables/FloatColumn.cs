using System.Globalization;
using System.Numerics;

namespace Cairn.Stages.Tables;

/// <summary>
/// A Parquet FLOAT or DOUBLE column, written to CSV as the shortest text that reads back as the same value ("R",
/// invariant): unlike <see cref="Common.StageCsv.FormatNumber"/>, no rounding, so converting loses nothing.
/// </summary>
internal sealed class FloatColumn<T>(string name, ColumnType type, bool nullable) : TypedColumn<T>(name, type, nullable)
    where T : struct, IBinaryFloatingPointIeee754<T>
{
    public override double Number(int row) => double.CreateTruncating(Values[row]);

    public override string Text(int row) => IsNull(row) ? string.Empty : Values[row].ToString("R", CultureInfo.InvariantCulture);

    public override void WriteCsv(CsvOutput writer, int row)
    {
        Span<char> text = stackalloc char[40];
        var length = 0;
        if (!IsNull(row))
        {
            Values[row].TryFormat(text, out length, "R", CultureInfo.InvariantCulture);
        }

        writer.WriteField(text[..length]);
    }
}
