namespace Cairn.Stages.Tables;

/// <summary>The file formats the built-in stages read and write.</summary>
internal enum TableFormat
{
    /// <summary>Comma-separated text, UTF-8, with a header row.</summary>
    Csv,

    /// <summary>Apache Parquet.</summary>
    Parquet,
}
