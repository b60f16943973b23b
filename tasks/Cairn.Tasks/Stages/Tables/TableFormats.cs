namespace Cairn.Stages.Tables;

/// <summary>Names and file extensions of the <see cref="TableFormat"/>s.</summary>
internal static class TableFormats
{
    /// <summary>The words a stage parameter may use, as error messages list them.</summary>
    public const string Names = "csv, parquet";

    /// <summary>The format a file's extension names (<c>.csv</c>, <c>.parquet</c>, any letter case), or null for any other extension.</summary>
    public static TableFormat? FromExtension(string path)
    {
        var extension = Path.GetExtension(path);
        return extension.Equals(".csv", StringComparison.OrdinalIgnoreCase) ? TableFormat.Csv
            : extension.Equals(".parquet", StringComparison.OrdinalIgnoreCase) ? TableFormat.Parquet
            : null;
    }

    /// <summary>Reads a format parameter: empty means none was given (null); otherwise <c>csv</c> or <c>parquet</c>, any letter case.</summary>
    public static bool TryParse(string text, out TableFormat? format)
    {
        format = null;
        if (text.Length == 0)
        {
            return true;
        }

        if (text.Equals("csv", StringComparison.OrdinalIgnoreCase))
        {
            format = TableFormat.Csv;
        }
        else if (text.Equals("parquet", StringComparison.OrdinalIgnoreCase))
        {
            format = TableFormat.Parquet;
        }

        return format is not null;
    }

    public static string Name(TableFormat format) => format == TableFormat.Csv ? "csv" : "parquet";
}
