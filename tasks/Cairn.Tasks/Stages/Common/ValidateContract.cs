using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cairn.Stages.Contracts;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace Cairn.Stages.Common;

/// <summary>
/// Checks an IngestCsv output against a data contract and writes its profile (JSON).
/// A file-level problem fails the stage: a missing, extra or renamed column (CAIRN2001-2003), a malformed contract
/// (CAIRN2000), an input that is not an IngestCsv output (CAIRN2004). Row-level problems do not: they are counted
/// in the profile, and the cleaning stage quarantines those rows.
/// </summary>
/// <remarks>
/// The profile, keys in this order: <c>rows</c>, <c>rows_with_violations</c> (rows with an <c>_error</c> or a value
/// the contract rejects), <c>rows_with_read_errors</c> (rows with an <c>_error</c>), then <c>columns</c> in contract
/// order, each with <c>type</c>, <c>nulls</c>, <c>violations</c> and, over the values that parse: for numbers
/// <c>min</c>, <c>max</c>, <c>mean</c> (rounded to 6 decimals); for dates <c>min</c>, <c>max</c>; for categories
/// <c>counts</c> per value, sorted by value (ordinal). A statistic without values is null.
/// </remarks>
public sealed class ValidateContract : StageTask
{
    // The profile is a data file that is never embedded in HTML, so values such as "rain+fog" stay readable.
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The IngestCsv output to check.</summary>
    [Required]
    [StageInput]
    public string Input { get; set; } = string.Empty;

    /// <summary>The contract file (YAML).</summary>
    [Required]
    [StageInput]
    public string Contract { get; set; } = string.Empty;

    /// <summary>
    /// The partition's date (<c>yyyy-MM-dd</c>), optional. When set, a partition key outside it counts as a violation,
    /// so <see cref="RowsWithViolations"/> equals the number of rows the cleaning stage quarantines.
    /// </summary>
    [StageParameter]
    public string Partition { get; set; } = string.Empty;

    /// <summary>The profile to write (JSON).</summary>
    [Required]
    [StageOutput]
    public string Profile { get; set; } = string.Empty;

    /// <summary>How many rows the input has.</summary>
    [Output]
    [StageMetric]
    public long Rows { get; set; }

    /// <summary>How many rows have an <c>_error</c> or a value the contract rejects.</summary>
    [Output]
    [StageMetric]
    public long RowsWithViolations { get; set; }

    public override bool Execute()
    {
        DateOnly? partition = null;
        if (Partition.Length > 0 && ContractedInput.TryParsePartition(Log, Partition, out var date))
        {
            partition = date;
        }

        if (!ContractedInput.TryLoad(Log, Input, Contract, out var contract, out var table) || Log.HasLoggedErrors)
        {
            return false;
        }

        var indexes = contract.IndexesIn(table.Columns);
        var columns = contract.Columns.Select(c => new ColumnProfile(c)).ToArray();
        long readErrors = 0;
        foreach (var row in table.Rows)
        {
            ThrowIfCancelled();
            var violates = row.Error.Length > 0;
            readErrors += violates ? 1 : 0;
            for (var i = 0; i < columns.Length; i++)
            {
                var value = row.Values[indexes[i]];
                var rejected = columns[i].Column.Check(value, partition) is not null;
                columns[i].Add(value, rejected);
                violates |= rejected;
            }

            RowsWithViolations += violates ? 1 : 0;
        }

        Rows = table.Rows.Count;
        Write(columns, readErrors);
        Log.LogMessage(
            MessageImportance.Normal,
            string.Create(CultureInfo.InvariantCulture, $"ValidateContract: {Rows} rows, {RowsWithViolations} with violations, profile {Profile}"));
        return !Log.HasLoggedErrors;
    }

    private void Write(ColumnProfile[] columns, long readErrors)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(Profile))!);
        using var stream = File.Create(Profile);
        using (var json = new Utf8JsonWriter(stream, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("rows", Rows);
            json.WriteNumber("rows_with_violations", RowsWithViolations);
            json.WriteNumber("rows_with_read_errors", readErrors);
            json.WriteStartObject("columns");
            foreach (var column in columns)
            {
                column.WriteTo(json);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }
}
