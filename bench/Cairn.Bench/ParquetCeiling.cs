using Parquet;

namespace Cairn.Bench;

/// <summary>Parquet.Net alone reading every column of a file, values and definition levels, into pooled buffers: what no stage reading Parquet through it can beat.</summary>
internal static class ParquetCeiling
{
    public static long Read(string path)
    {
        using var stream = File.OpenRead(path);
        var reader = ParquetReader.CreateAsync(stream, new ParquetOptions { UseDateOnlyTypeForDates = true }).GetAwaiter().GetResult();
        long rows = 0;
        foreach (var group in reader.RowGroups)
        {
            rows += group.RowCount;
            foreach (var field in reader.Schema.DataFields)
            {
                using var column = group.ReadRawColumnDataBaseAsync(field).AsTask().GetAwaiter().GetResult();
            }
        }

        reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return rows;
    }
}
