using System.Globalization;

namespace Cairn.Stages.Contracts;

/// <summary>One difference between a data file's header and its contract.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Position">
/// The 1-based column position: in the contract for <see cref="HeaderProblemKind.Missing"/>, in the data otherwise.
/// </param>
/// <param name="Expected">The contract's column name (null for <see cref="HeaderProblemKind.Extra"/>).</param>
/// <param name="Actual">The data's column name (null for <see cref="HeaderProblemKind.Missing"/>).</param>
public sealed record HeaderProblem(HeaderProblemKind Kind, int Position, string? Expected, string? Actual)
{
    /// <summary>The error code stages log this problem with: CAIRN2001 missing, CAIRN2002 extra, CAIRN2003 renamed.</summary>
    public string Code => Kind switch
    {
        HeaderProblemKind.Missing => "CAIRN2001",
        HeaderProblemKind.Extra => "CAIRN2002",
        _ => "CAIRN2003",
    };

    /// <summary>The message a person reads: the data file, the column, the contract file and the fix.</summary>
    public string Describe(string dataFile, string contractFile) => Kind switch
    {
        HeaderProblemKind.Missing => string.Create(
            CultureInfo.InvariantCulture,
            $"{dataFile} has no column '{Expected}', which {contractFile} requires (contract column {Position}). Fix: add the column to the data, or remove it from the contract."),
        HeaderProblemKind.Extra => string.Create(
            CultureInfo.InvariantCulture,
            $"{dataFile} column {Position} '{Actual}' is not declared in {contractFile}. Fix: declare it in the contract, or drop it from the data."),
        _ => string.Create(
            CultureInfo.InvariantCulture,
            $"{dataFile} column {Position} is '{Actual}' where {contractFile} expects '{Expected}' (renamed?). Fix: rename the column back to '{Expected}', or rename it in the contract."),
    };
}
