namespace Cairn.Stages.Tables;

/// <summary>What a column's values are, as far as contracts and CSV text are concerned.</summary>
internal enum ColumnKind
{
    /// <summary>Text: every CSV column, and Parquet string columns.</summary>
    Text,

    /// <summary>Parquet BOOLEAN.</summary>
    Boolean,

    /// <summary>Parquet integers of any width, signed or not.</summary>
    Integer,

    /// <summary>Parquet FLOAT and DOUBLE.</summary>
    Number,

    /// <summary>Parquet DECIMAL.</summary>
    Decimal,

    /// <summary>Parquet DATE.</summary>
    Date,

    /// <summary>Parquet TIMESTAMP (and the legacy INT96 timestamps).</summary>
    Timestamp,
}
