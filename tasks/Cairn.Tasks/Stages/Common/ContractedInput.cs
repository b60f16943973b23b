using System.Diagnostics.CodeAnalysis;
using Cairn.Stages.Contracts;
using Cairn.Stages.Tables;
using Microsoft.Build.Utilities;

namespace Cairn.Stages.Common;

/// <summary>
/// The checks every stage that reads an ingest output under a data contract starts with, logged with the same
/// codes whichever stage finds them: CAIRN2000 malformed contract, CAIRN2001-2003 missing, extra or renamed
/// column, CAIRN2004 input that is not an ingest output, CAIRN2006 partition that is not a date (or, for <see cref="TryParsePartitionKey"/>, not a partition key).
/// </summary>
public static class ContractedInput
{
    /// <summary>
    /// Loads the contract and the input (an ingest output, CSV or Parquet) and checks the input's header against the
    /// contract, logging every problem.
    /// </summary>
    /// <returns>True when both loaded and the header fits the contract.</returns>
    public static bool TryLoad(
        TaskLoggingHelper log,
        string input,
        string contractPath,
        [NotNullWhen(true)] out DataContract? contract,
        [NotNullWhen(true)] out IngestedTable? table)
    {
        ArgumentNullException.ThrowIfNull(log);
        contract = null;
        table = null;
        try
        {
            contract = DataContract.Load(contractPath);
        }
        catch (ContractException e)
        {
            Error(log, "CAIRN2000", e.Message);
        }

        try
        {
            table = IngestedTable.Read(input);
        }
        catch (InvalidDataException e) when (e.InnerException is TableReadException)
        {
            // The reader's message already names the file and the fix.
            Error(log, "CAIRN2004", e.Message);
        }
        catch (InvalidDataException e)
        {
            Error(log, "CAIRN2004", $"{input} is not an ingest output: {e.Message}. Fix: pass the file the ingest wrote for this partition.");
        }
        catch (UnauthorizedAccessException e)
        {
            Error(log, "CAIRN2004", $"{input} cannot be read: {e.Message}");
        }

        if (contract is null || table is null)
        {
            return false;
        }

        var problems = contract.CheckHeader(table.Columns);
        foreach (var problem in problems)
        {
            Error(log, problem.Code, problem.Describe(input, contractPath));
        }

        return problems.Count == 0;
    }

    /// <summary>
    /// Reads a partition's date (<c>yyyy-MM-dd</c>), logging CAIRN2006 when it is not one. For a stage that runs in
    /// pipelines of hours or months as well, use <see cref="TryParsePartitionKey"/>.
    /// </summary>
    public static bool TryParsePartition(TaskLoggingHelper log, string partition, out DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (ContractValues.TryParseDate(partition, out date))
        {
            return true;
        }

        Error(log, "CAIRN2006", $"Partition '{partition}' is not a date ({ContractValues.DateFormat}). Fix: pass the partition's date, such as 2012-01-04.");
        return false;
    }

    /// <summary>
    /// Reads a partition key of any grain (an hour <c>YYYY-MM-DDTHH</c>, a day <c>YYYY-MM-DD</c> or a month
    /// <c>YYYY-MM</c>: the <c>{partition}</c> of a pipeline of that grain) as the days it covers, logging CAIRN2006
    /// when it is none; <see cref="DataContract.CheckRowInPartition"/> checks a row against it.
    /// </summary>
    public static bool TryParsePartitionKey(TaskLoggingHelper log, string partition, [NotNullWhen(true)] out PartitionSpan? span)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(partition);
        if (PartitionSpan.TryParse(partition.Trim(), out span))
        {
            return true;
        }

        Error(log, "CAIRN2006", PartitionSpan.NotAKey(partition));
        return false;
    }

    private static void Error(TaskLoggingHelper log, string code, string message) =>
        log.LogError(subcategory: null, code, helpKeyword: null, file: null, 0, 0, 0, 0, message);
}
