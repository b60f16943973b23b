using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace Cairn.Bench;

/// <summary>The weather-shaped day as typed Parquet (a date, four doubles, a dictionary-encoded string), from its CSV.</summary>
internal static class WeatherDay
{
    public static void WriteParquet(string csv, string path)
    {
        var lines = File.ReadLines(csv).Skip(1).Select(l => l.Split(',')).ToList();
        DataField[] fields =
        [
            new DataField<DateOnly>("date", false),
            new DataField<double>("precipitation", false),
            new DataField<double>("temp_max", false),
            new DataField<double>("temp_min", false),
            new DataField<double>("wind", false),
            new DataField<string>("weather", false),
        ];
        var options = new ParquetOptions { UseDateOnlyTypeForDates = true };
        options.ColumnEncodingHints["weather"] = EncodingHint.Dictionary;
        using var stream = File.Create(path);
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, options).GetAwaiter().GetResult();
        const int Group = 65_536;
        for (var start = 0; start < lines.Count; start += Group)
        {
            var rows = lines.Skip(start).Take(Group).ToList();
            using var group = writer.CreateRowGroup();
            group.WriteAsync(fields[0], (ReadOnlyMemory<DateOnly>)rows.Select(r => DateOnly.ParseExact(r[0], "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray()).GetAwaiter().GetResult();
            for (var c = 1; c <= 4; c++)
            {
                group.WriteAsync(fields[c], (ReadOnlyMemory<double>)rows.Select(r => double.Parse(r[c], CultureInfo.InvariantCulture)).ToArray()).GetAwaiter().GetResult();
            }

            group.WriteAsync(fields[5], rows.Select(r => r[5]).ToArray()).GetAwaiter().GetResult();
            group.CompleteValidate();
        }

        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
