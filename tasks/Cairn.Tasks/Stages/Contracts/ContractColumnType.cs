using System.Diagnostics.CodeAnalysis;

namespace Cairn.Stages.Contracts;

/// <summary>The type a contract column's values must parse as (culture-invariant).</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The members mirror the words a contract file uses: type: integer, type: string.")]
public enum ContractColumnType
{
    /// <summary>A calendar date written <c>yyyy-MM-dd</c>.</summary>
    Date,

    /// <summary>A finite decimal number such as <c>-0.6</c> or <c>1e3</c>; no thousands separators.</summary>
    Number,

    /// <summary>A whole number such as <c>-12</c>.</summary>
    Integer,

    /// <summary>One value out of the column's <c>allowed</c> list, compared exactly (case-sensitive).</summary>
    Category,

    /// <summary>Any text.</summary>
    String,
}
