using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cairn.Stages.Contracts;
using Cairn.Stages.Tables;
using Microsoft.Build.Framework;

namespace Cairn.Stages.Common;

/// <summary>
/// Checks a table, CSV or Parquet, against a data contract and writes its profile (JSON). The table is streamed, so
/// memory does not grow with its size. It may be an ingest output (its <c>_source</c> and <c>_error</c> columns are
/// bookkeeping, and a row with an <c>_error</c> is a violation) or any other table with a header: a CSV file is read
/// as the ingest reads one (trimmed fields, lower-cased header); a Parquet column is checked as its type.
/// A file-level problem fails the stage: a missing, extra or renamed column (CAIRN2001-2003), a malformed contract
/// (CAIRN2000), an input that cannot be read (CAIRN2004), a partition that is not a key of any grain (CAIRN2006), an
/// <see cref="InputFormat"/> that is not a format (CAIRN2005), a Parquet column whose type cannot hold the contract's
/// type, such as an int64 column declared a date (CAIRN2007). Row-level problems do not: they are counted in the
/// profile, and the cleaning stage quarantines those rows. A transient I/O failure is thrown, not logged.
/// </summary>
/// <remarks>
/// The profile, keys in this order: <c>rows</c>, <c>rows_with_violations</c> (rows with an <c>_error</c> or a value
/// the contract rejects), <c>rows_with_read_errors</c> (rows with an <c>_error</c>), then <c>columns</c> in contract
/// order, each with <c>type</c>, <c>nulls</c>, <c>violations</c> and, over the values that parse: for numbers
/// <c>min</c>, <c>max</c>, <c>mean</c> (rounded to 6 decimals); for dates and timestamps <c>min</c>, <c>max</c>; for
/// categories and booleans <c>counts</c> per value, sorted by value (ordinal). A statistic without values is null.
/// </remarks>
[StageVersion("3")]
public sealed class ValidateContract : StageTask
{
    // The profile is a data file that is never embedded in HTML, so values such as "rain+fog" stay readable.
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The table to check: an ingest output or any CSV or Parquet file with a header.</summary>
    [Required]
    [StageInput]
    public string Input { get; set; } = string.Empty;

    /// <summary>The contract file (YAML).</summary>
    [Required]
    [StageInput(Contract = true)]
    public string Contract { get; set; } = string.Empty;

    /// <summary>
    /// The partition's key, optional: a day (<c>yyyy-MM-dd</c>), an hour (<c>yyyy-MM-ddTHH</c>) or a month (<c>yyyy-MM</c>).
    /// When set, a contract's partition key (a date column) outside the partition's days counts as a violation,
    /// so <see cref="RowsWithViolations"/> equals the number of rows the cleaning stage quarantines.
    /// </summary>
    [StageParameter]
    public string Partition { get; set; } = string.Empty;

    /// <summary><c>csv</c> or <c>parquet</c>. Empty (the default): <see cref="Input"/>'s extension says (<c>.parquet</c> is Parquet, anything else CSV).</summary>
    [StageParameter]
    public string InputFormat { get; set; } = string.Empty;

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

    /// <summary>Opens the input; a test replaces it to inject I/O failures.</summary>
    internal Func<string, Stream> OpenFile { get; set; } = TableFiles.Open;

    public override bool Execute()
    {
        PartitionSpan? partition = null;
        if (Partition.Length > 0)
        {
            ContractedInput.TryParsePartitionKey(Log, Partition, out partition);
        }

        DataContract? contract = null;
        try
        {
            contract = DataContract.Load(Contract);
        }
        catch (ContractException e)
        {
            LogCodedError("CAIRN2000", e.Message);
        }

        if (!TableFormats.TryParse(InputFormat, out var given))
        {
            LogCodedError("CAIRN2005", $"InputFormat '{InputFormat}' is not a format. Fix: set it to one of {TableFormats.Names}, or leave it empty to go by the input's extension.");
            return false;
        }

        TableReader? reader = null;
        try
        {
            reader = TableReader.Open(Input, given ?? TableFormats.FromExtension(Input) ?? TableFormat.Csv, OpenFile);
            if (contract is null || !FitsContract(reader, contract) || Log.HasLoggedErrors)
            {
                return false;
            }

            var profiles = Check(reader, contract, partition, out var readErrors);
            Write(profiles, readErrors);
        }
        catch (TableReadException e)
        {
            LogCodedError("CAIRN2004", e.Message);
            return false;
        }
        finally
        {
            reader?.Dispose();
        }

        Log.LogMessage(
            MessageImportance.Normal,
            string.Create(CultureInfo.InvariantCulture, $"ValidateContract: {Rows:N0} rows, {RowsWithViolations:N0} with violations, profile {Profile}"));
        return !Log.HasLoggedErrors;
    }

    /// <summary>
    /// Logs every column the contract misses, does not declare or cannot hold; true when there is none. Such a
    /// difference is schema drift: the contract it drifted to is proposed too (<see cref="StageTask.ProposeAmendment"/>),
    /// so the engine holds the partition for a person to accept or reject the change.
    /// </summary>
    private bool FitsContract(TableReader reader, DataContract contract)
    {
        var names = reader.Schema.Select(c => c.Name).ToList();
        var problems = contract.CheckHeader(names);
        foreach (var problem in problems)
        {
            LogCodedError(problem.Code, problem.Describe(Input, Contract));
        }

        if (problems.Count > 0)
        {
            var added = problems.Where(p => p.Actual is not null).Select(p => p.Actual!).ToList();
            Propose(problems, InferTypes(reader, added), []);
            return false;
        }

        var indexes = contract.IndexesIn(names);
        var retyped = new List<(string Column, string Type)>();
        for (var i = 0; i < contract.Columns.Count; i++)
        {
            if (indexes[i] < 0)
            {
                continue;
            }

            var declared = contract.Columns[i];
            var actual = reader.Schema[indexes[i]].Type;
            if (!ColumnProfile.Fits(declared.Type, actual.Kind))
            {
                var type = declared.Type.ToString().ToLowerInvariant();
                LogCodedError(
                    "CAIRN2007",
                    $"{Input} column '{declared.Name}' holds {actual.Name} values, which {Contract} declares {type}. Fix: declare the column's type in the contract ({Suggest(actual.Kind)}), or write the column as {type} values.");
                retyped.Add((declared.Name, TypeOf(actual.Kind)));
            }
        }

        if (retyped.Count > 0)
        {
            Propose([], new Dictionary<string, string>(StringComparer.Ordinal), retyped);
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>The contract with the drift written in, proposed for a person's review; nothing when it cannot be written in place.</summary>
    private void Propose(IReadOnlyList<HeaderProblem> problems, IReadOnlyDictionary<string, string> types, IReadOnlyList<(string Column, string Type)> retyped)
    {
        string text;
        try
        {
            text = File.ReadAllText(Contract);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        try
        {
            if (ContractAmendment.Propose(Contract, text, problems, types, retyped) is { } amended)
            {
                ProposeAmendment(nameof(Contract), amended.Text, amended.Changes);
            }
        }
        catch (ContractException)
        {
            // The contract itself is malformed (CAIRN2000 says so): there is nothing to amend.
        }
    }

    /// <summary>
    /// The contract type each named column's values fit: a typed (Parquet) column's own type; for text, the first of
    /// integer, number, boolean, date and timestamp that every non-empty value parses as, else string.
    /// </summary>
    private Dictionary<string, string> InferTypes(TableReader reader, List<string> columns)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = new List<(string Name, int Index)>();
        foreach (var name in columns)
        {
            var index = reader.Schema.ToList().FindIndex(c => c.Name == name);
            var kind = reader.Schema[index].Type.Kind;
            if (kind == ColumnKind.Text)
            {
                text.Add((name, index));
            }
            else
            {
                types[name] = TypeOf(kind);
            }
        }

        if (text.Count == 0)
        {
            return types;
        }

        ContractColumnType[] candidates = [ContractColumnType.Integer, ContractColumnType.Number, ContractColumnType.Boolean, ContractColumnType.Date, ContractColumnType.Timestamp];
        var trials = text.ToDictionary(t => t.Name, t => candidates.Select(c => new ColumnProfile(new ContractColumn { Name = t.Name, Type = c, Nullable = true })).ToArray(), StringComparer.Ordinal);
        var wanted = new bool[reader.Schema.Count];
        foreach (var (_, index) in text)
        {
            wanted[index] = true;
        }

        using var again = TableReader.Open(Input, TableFormats.TryParse(InputFormat, out var given) && given is { } format ? format : TableFormats.FromExtension(Input) ?? TableFormat.Csv, OpenFile);
        again.Wanted = wanted;
        again.WantSource = false;
        var batch = new TableBatch(again.Schema);
        var scratch = Array.Empty<bool>();
        bool more;
        do
        {
            ThrowIfCancelled();
            more = again.ReadInto(batch);
            if (scratch.Length < batch.Count)
            {
                scratch = new bool[batch.Count];
            }

            foreach (var (name, index) in text)
            {
                foreach (var trial in trials[name])
                {
                    trial.Check(batch.Columns[index], batch.Count, null, scratch);
                }
            }

            batch.Clear();
        }
        while (more);

        foreach (var (name, _) in text)
        {
            var fits = trials[name].FirstOrDefault(t => t.Violations == 0 && t.Parsed > 0);
            types[name] = fits is null ? "string" : fits.Column.Type.ToString().ToLowerInvariant();
        }

        return types;
    }

    private static string TypeOf(ColumnKind kind) => kind switch
    {
        ColumnKind.Integer => "integer",
        ColumnKind.Number or ColumnKind.Decimal => "number",
        ColumnKind.Boolean => "boolean",
        ColumnKind.Date => "date",
        ColumnKind.Timestamp => "timestamp",
        _ => "string",
    };

    private static string Suggest(ColumnKind kind) => kind switch
    {
        ColumnKind.Integer => "integer or number",
        ColumnKind.Number or ColumnKind.Decimal or ColumnKind.Boolean or ColumnKind.Date or ColumnKind.Timestamp => TypeOf(kind),
        _ => "string or category",
    };

    private ColumnProfile[] Check(TableReader reader, DataContract contract, PartitionSpan? partition, out long readErrors)
    {
        var indexes = contract.IndexesIn([.. reader.Schema.Select(c => c.Name)]);
        var wanted = new bool[reader.Schema.Count];
        foreach (var index in indexes.Where(i => i >= 0))
        {
            wanted[index] = true;
        }

        reader.Wanted = wanted;
        reader.WantSource = false;
        var profiles = contract.Columns.Select(c => new ColumnProfile(c)).ToArray();
        var batch = new TableBatch(reader.Schema);
        var violates = Array.Empty<bool>();
        readErrors = 0;
        bool more;
        do
        {
            ThrowIfCancelled();
            more = reader.ReadInto(batch);
            var count = batch.Count;
            if (violates.Length < count)
            {
                violates = new bool[count];
            }

            Array.Clear(violates, 0, count);
            for (var row = 0; row < count; row++)
            {
                if (!batch.Error.IsNull(row))
                {
                    readErrors++;
                    violates[row] = true;
                }
            }

            for (var i = 0; i < profiles.Length; i++)
            {
                // An optional column the table lacks (accepted drift, before it appeared) has no values to check.
                if (indexes[i] >= 0)
                {
                    profiles[i].Check(batch.Columns[indexes[i]], count, partition, violates);
                }
            }

            Rows += count;
            RowsWithViolations += violates.AsSpan(0, count).Count(true);
            batch.Clear();
        }
        while (more);

        return profiles;
    }

    private void Write(ColumnProfile[] columns, long readErrors)
    {
        using var stream = OutputFile.Create(Profile);
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
