using System.IO.Compression;
using Parquet;

namespace Cairn.Stages.Tables;

/// <summary>
/// How the stages read and write Parquet. The writer's settings are pinned so that the same rows always give the same
/// bytes: Snappy compression, row groups of <see cref="TableBatch.Rows"/> rows (fewer at the end of the data and where
/// a batch of long text ends early), dictionary encoding tried for every string column but <c>_source</c> and decided
/// on the same sample (see <see cref="ParquetTableWriter"/>), plain encoding otherwise, and Parquet.Net writes no time
/// into the file. The <c>created_by</c> it writes is its own version, <see cref="CreatedBy"/>: the package is pinned in
/// Directory.Packages.props, and a test fails when an upgrade changes it (every Parquet output then changes bytes).
/// </summary>
internal static class ParquetSettings
{
    public const string CreatedBy = "Parquet.Net version 6.1.0 (build c179d97bd2549b5f44a9241e729f869d4947ee59)";

    public static ParquetOptions Writer() => new()
    {
        CompressionMethod = CompressionMethod.Snappy,
        CompressionLevel = CompressionLevel.Optimal,
        DictionaryEncodingThreshold = 0.8,

        // A column of mostly distinct values gives up on a dictionary after this many values instead of after hashing
        // 80 % of the row group; a column of a few thousand distinct values (tail numbers) still gets one.
        DictionaryEncodingSampleSize = 8192,
        UseDateOnlyTypeForDates = true,
    };

    public static ParquetOptions Reader() => new()
    {
        UseDateOnlyTypeForDates = true,
    };
}
