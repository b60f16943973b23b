namespace Cairn.Stages.Tables;

/// <summary>What is wrong with an input file; each stage logs each kind with its own code.</summary>
internal enum TableProblemKind
{
    /// <summary>An empty CSV file, or one of blank lines only: no header.</summary>
    NoHeader,

    /// <summary>A header (or Parquet schema) whose names cannot be columns: empty, repeated, reserved.</summary>
    BadHeader,

    /// <summary>The file cannot be opened (missing, not allowed), or is not UTF-8 text.</summary>
    Unreadable,

    /// <summary>The file is not in the format the stage was told or its name says (a Parquet file named .csv).</summary>
    WrongFormat,

    /// <summary>A damaged Parquet file: not Parquet at all, truncated, a row group that does not match the schema.</summary>
    BadParquet,

    /// <summary>A Parquet column of a type the built-in stages do not read (nested, binary, time of day...).</summary>
    UnsupportedColumn,
}
