using System.Globalization;
using Cairn.Stages.Tables;
using CsvHelper;

namespace Cairn.Stages.Common;

/// <summary>
/// How stages write CSV so that identical inputs give byte-identical files: UTF-8 without a byte order mark,
/// LF line ends, RFC 4180 quoting only where needed, and numbers rounded to 6 decimals then written
/// shortest round-trip with the invariant culture.
/// </summary>
public static class StageCsv
{
    private static readonly CsvWriterOptions WriterOptions = CsvWriterOptions.Default with
    {
        NewLine = "\n",
        WriteByteOrderMark = false,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    /// <summary>Creates (or overwrites) a CSV file, creating its parent folders.</summary>
    public static CsvWriter OpenWriter(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return CsvWriter.Create(OutputFile.Create(path, bufferSize: 1), WriterOptions, leaveOpen: false);
    }

    /// <summary>Rounds to 6 decimals (to even, as <see cref="Math.Round(double, int)"/> does) and turns -0 into 0.</summary>
    public static double Round(double value)
    {
        var rounded = Math.Round(value, 6);
        return rounded == 0 ? 0 : rounded;
    }

    /// <summary>A number as stage outputs write it: <see cref="Round"/>, then shortest round-trip, invariant ("7.8", "0", "1E-06").</summary>
    public static string FormatNumber(double value) => Round(value).ToString("R", CultureInfo.InvariantCulture);
}
