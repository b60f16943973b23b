using Parquet;
using Parquet.Schema;

namespace Cairn.Tests.Stages;

/// <summary>Writes Parquet files for tests with Parquet.Net directly, and reads what a test checks back.</summary>
internal static class ParquetFiles
{
    /// <summary>Writes a file of the given fields; each row group is one array per field (int?[], string?[], DateTime?[]...).</summary>
    public static string Write(string path, DataField[] fields, params Array[][] groups)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = File.Create(path);
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, new ParquetOptions { UseDateOnlyTypeForDates = true }).GetAwaiter().GetResult();
        foreach (var columns in groups)
        {
            using var group = writer.CreateRowGroup();
            for (var i = 0; i < columns.Length; i++)
            {
                WriteColumn(group, fields[i], columns[i]).GetAwaiter().GetResult();
            }
        }

        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return path;
    }

    /// <summary>A column of values for <see cref="Write"/>.</summary>
    public static Array Of<T>(params T[] values) => values;

    /// <summary>A column of text for <see cref="Write"/>.</summary>
    public static Array Text(params string?[] values) => values;

    /// <summary>A column of 32-bit integers for <see cref="Write"/>.</summary>
    public static Array Ints(params int?[] values) => values;

    /// <summary>A column of binary values for <see cref="Write"/>.</summary>
    public static Array Blobs(params byte[]?[] values) => values;

    public static IReadOnlyList<long> RowGroupRows(string path)
    {
        using var reader = Open(path);
        return [.. reader.RowGroups.Select(g => g.RowCount)];
    }

    public static string CreatedBy(string path)
    {
        using var reader = Open(path);
        return reader.Metadata!.CreatedBy!;
    }

    public static IReadOnlyList<string> Codecs(string path)
    {
        using var reader = Open(path);
        return [.. reader.RowGroups.SelectMany(g => g.RowGroup.Columns.Select(c => c.MetaData!.Codec.ToString())).Distinct()];
    }

    /// <summary>Each column's name, CLR type as Parquet.Net reads it, and whether it is optional.</summary>
    public static IReadOnlyList<string> Describe(string path)
    {
        using var reader = Open(path);
        return [.. reader.Schema.DataFields.Select(f => $"{f.Name} {f.ClrType.Name}{(f.IsNullable ? "?" : string.Empty)}")];
    }

    private static Task WriteColumn(ParquetRowGroupWriter group, DataField field, Array values) => values switch
    {
        string?[] text => group.WriteAsync(field, text),
        byte[]?[] blobs => group.WriteAsync(field, blobs),
        int?[] ints => group.WriteAsync(field, (ReadOnlyMemory<int?>)ints),
        int[] ints => group.WriteAsync(field, (ReadOnlyMemory<int>)ints),
        long?[] longs => group.WriteAsync(field, (ReadOnlyMemory<long?>)longs),
        long[] longs => group.WriteAsync(field, (ReadOnlyMemory<long>)longs),
        double?[] doubles => group.WriteAsync(field, (ReadOnlyMemory<double?>)doubles),
        double[] doubles => group.WriteAsync(field, (ReadOnlyMemory<double>)doubles),
        float?[] floats => group.WriteAsync(field, (ReadOnlyMemory<float?>)floats),
        decimal?[] decimals => group.WriteAsync(field, (ReadOnlyMemory<decimal?>)decimals),
        bool?[] booleans => group.WriteAsync(field, (ReadOnlyMemory<bool?>)booleans),
        bool[] booleans => group.WriteAsync(field, (ReadOnlyMemory<bool>)booleans),
        DateOnly?[] dates => group.WriteAsync(field, (ReadOnlyMemory<DateOnly?>)dates),
        DateOnly[] dates => group.WriteAsync(field, (ReadOnlyMemory<DateOnly>)dates),
        DateTime?[] times => group.WriteAsync(field, (ReadOnlyMemory<DateTime?>)times),
        DateTime[] times => group.WriteAsync(field, (ReadOnlyMemory<DateTime>)times),
        _ => throw new ArgumentException($"no writer for {values.GetType().Name}", nameof(values)),
    };

    private static DisposableReader Open(string path) => new(path);

    /// <summary>A Parquet.Net reader over a file, disposed synchronously.</summary>
    private sealed class DisposableReader : IDisposable
    {
        private readonly FileStream _stream;
        private readonly ParquetReader _reader;

        public DisposableReader(string path)
        {
            _stream = File.OpenRead(path);
            _reader = ParquetReader.CreateAsync(_stream, new ParquetOptions { UseDateOnlyTypeForDates = true }).GetAwaiter().GetResult();
        }

        public IReadOnlyList<ParquetRowGroupReader> RowGroups => _reader.RowGroups;

        public Parquet.Meta.FileMetaData? Metadata => _reader.Metadata;

        public ParquetSchema Schema => _reader.Schema;

        public void Dispose()
        {
            _reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _stream.Dispose();
        }
    }
}
