using System.Diagnostics.CodeAnalysis;

namespace Cairn.Stages.Contracts;

/// <summary>
/// The type a contract column's values must have: text that parses as the type (culture-invariant), or, in a Parquet
/// file, a column of a matching Parquet type.
/// </summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members mirror the words a contract file uses: type: integer, type: string.")]
public enum ContractColumnType
{
    /// <summary>A calendar date written <c>yyyy-MM-dd</c>; in Parquet, a DATE column.</summary>
    Date,

    /// <summary>A finite decimal number such as <c>-0.6</c> or <c>1e3</c>, no thousands separators; in Parquet, any integer, floating point or decimal column.</summary>
    Number,

    /// <summary>A whole number such as <c>-12</c>; in Parquet, an integer column.</summary>
    Integer,

    /// <summary>One value out of the column's <c>allowed</c> list, compared exactly (case-sensitive); in Parquet, a string column.</summary>
    Category,

    /// <summary>Any text; in Parquet, a string column.</summary>
    String,

    /// <summary><c>true</c> or <c>false</c> (any letter case); in Parquet, a BOOLEAN column.</summary>
    Boolean,

    /// <summary>
    /// A date and time written ISO 8601 style, <c>yyyy-MM-ddTHH:mm:ss</c> (or a space for the <c>T</c>), with an optional
    /// fraction of up to 7 digits and an optional <c>Z</c> or <c>+hh:mm</c> offset; in Parquet, a TIMESTAMP column.
    /// </summary>
    Timestamp,
}
