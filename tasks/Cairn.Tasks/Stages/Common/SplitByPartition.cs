using System.Globalization;
using Cairn.Stages.Tables;
using Microsoft.Build.Framework;

namespace Cairn.Stages.Common;

/// <summary>
/// A landing stage that fans out (<c>fans_out: true</c> in the pipeline file): reads CSV or Parquet sources holding
/// many partitions' rows and writes one file per partition, cut by a column holding a date or a time. The engine gives
/// <see cref="Output"/> as a path naming <c>{partition}</c> (<c>…/date={partition}/flights.csv</c>); the stage writes
/// it once per partition its rows fall in, in the format the output's extension names (<c>.parquet</c>, else CSV):
/// the sources' columns (no <c>_source</c> or <c>_error</c>), then the partition's rows in the sources' order. What
/// it writes is checked by the engine: a key that is not one of the pipeline's grain fails the cell.
/// </summary>
/// <remarks>
/// <para>
/// The sources are streamed through the built-in table readers (as <c>Ingest</c> reads them: CSV fields trimmed, a
/// quoted field may span lines; Parquet columns keep their types) and each partition's file is written as its rows
/// arrive, so memory does not grow with the sources (see <c>PartitionWriters</c> for the bounds). The same sources give
/// the same bytes; a partition whose rows did not change is written byte for byte as before, so the stages downstream
/// of it are not re-run.
/// </para>
/// <para>
/// The key is the start of the column's value as text (a Parquet date or timestamp as <c>yyyy-MM-dd…</c>):
/// <c>YYYY-MM-DDTHH</c> for hours (a space after the date is read as <c>T</c>), <c>YYYY-MM-DD</c> for days,
/// <c>YYYY-MM</c> for months; a value shorter than that is the key as it is, and the engine refuses it. Given the run's
/// selection (<see cref="Selection"/>, bound to <c>{selection}</c>), only the selected partitions are written; the rows
/// of the others are counted and left alone.
/// </para>
/// <para>
/// Errors: CAIRN1200 a source without a header or without the column, CAIRN1201 a row whose value cannot name a folder
/// (empty, or holding a path separator), CAIRN1202 sources with different columns or column types, CAIRN1203 a grain
/// that is not hour, day or month, an output without <c>{partition}</c>, or a selection that is not one, CAIRN1204 a
/// source that cannot be read (the reader's words: not UTF-8, not Parquet, truncated…), CAIRN1205 a row that cannot be
/// read cleanly (malformed quoting, more or fewer fields than the header), which a landing without <c>_error</c> could
/// only change or drop.
/// </para>
/// </remarks>
[StageVersion("2")]
public sealed class SplitByPartition : StageTask
{
    /// <summary>The CSV or Parquet files to cut (by extension: <c>.parquet</c>, else CSV), in the order their rows are written (the engine sorts them).</summary>
    [Required]
    [StageInput]
    public ITaskItem[] Sources { get; set; } = [];

    /// <summary>Where each partition's rows go: a path naming <c>{partition}</c>, which the stage replaces by the key.</summary>
    [Required]
    [StageOutput]
    public string Output { get; set; } = string.Empty;

    /// <summary>The column whose value's start is the partition's key (a date or a time, ISO 8601).</summary>
    [Required]
    [StageParameter]
    public string Column { get; set; } = string.Empty;

    /// <summary><c>hour</c>, <c>day</c> (the default) or <c>month</c>: the pipeline's <c>partitions: grain:</c>.</summary>
    [StageParameter]
    public string Grain { get; set; } = "day";

    /// <summary>
    /// The partitions to write (bind it to <c>{selection}</c>, the run's <c>--partition</c> or <c>--from</c>/<c>--to</c>):
    /// empty for every one, a key, or <c>FROM..TO</c> (inclusive; either end may be empty).
    /// </summary>
    [StageParameter]
    public string Selection { get; set; } = string.Empty;

    /// <summary>How many partitions were written.</summary>
    [Output]
    [StageMetric]
    public long PartitionsWritten { get; set; }

    /// <summary>How many rows were read.</summary>
    [Output]
    [StageMetric]
    public long RowsIn { get; set; }

    /// <summary>How many of the rows read fall in partitions outside <see cref="Selection"/>, and were not written.</summary>
    [Output]
    [StageMetric]
    public long RowsOutside { get; set; }

    public override bool Execute()
    {
        var length = Grain.Trim() switch
        {
            "hour" => 13,
            "day" => 10,
            "month" => 7,
            _ => -1,
        };
        if (length < 0)
        {
            LogCodedError("CAIRN1203", $"Grain is '{Grain}'; set it to hour, day or month, the grain of the pipeline's partitions (partitions: grain:).");
            return false;
        }

        if (!Output.Contains("{partition}", StringComparison.Ordinal))
        {
            LogCodedError("CAIRN1203", $"Output '{Output}' does not name {{partition}}; run the stage with fans_out: true, which gives it a path per partition.");
            return false;
        }

        if (!PartitionSelection.TryParse(Selection, out var selection))
        {
            LogCodedError("CAIRN1203", $"Selection is '{Selection}', which is not a selection; bind it to {{selection}} in the pipeline file, which the engine fills in (a key, or FROM..TO).");
            return false;
        }

        if (Sources.Length == 0)
        {
            LogCodedError("CAIRN1200", "SplitByPartition was given no source files. Fix: point Sources at the files to cut (for example \"{raw}/*.csv\").");
            return false;
        }

        var sources = Sources.Select(s => (Path: s.ItemSpec, Format: TableFormats.FromExtension(s.ItemSpec) ?? TableFormat.Csv)).ToList();
        var schema = SharedSchema(sources);
        if (schema is null)
        {
            return false;
        }

        var column = schema.FindIndex(c => string.Equals(c.Name, Column.Trim(), StringComparison.OrdinalIgnoreCase));
        if (column < 0)
        {
            LogCodedError("CAIRN1200", $"{sources[0].Path} has no column '{Column}' to cut it into partitions by; its columns are {string.Join(", ", schema.Select(c => c.Name))}. Fix Column in the pipeline file.", sources[0].Path);
            return false;
        }

        var outside = new SortedSet<string>(StringComparer.Ordinal);
        using var partitions = new PartitionWriters(Output, TableFormats.FromExtension(Output) ?? TableFormat.Csv, schema);
        try
        {
            foreach (var (path, format) in sources)
            {
                if (!Cut(path, format, schema, column, length, selection, partitions, outside))
                {
                    return false;
                }
            }

            partitions.Complete();
        }
        catch (TableReadException e)
        {
            LogCodedError("CAIRN1204", e.Message);
            return false;
        }

        PartitionsWritten = partitions.Count;
        if (outside.Count > 0)
        {
            Log.LogMessage(
                MessageImportance.High,
                string.Create(CultureInfo.InvariantCulture, $"{RowsOutside:N0} of {RowsIn:N0} rows fall in {outside.Count:N0} partition{(outside.Count == 1 ? string.Empty : "s")} outside the selection {selection.Text} ({outside.Min} to {outside.Max}): not written, their files left as they are"));
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>Streams one source into the partitions; false (with the error logged) on a row that cannot be landed.</summary>
    private bool Cut(string path, TableFormat format, List<SchemaColumn> schema, int column, int length, PartitionSelection selection, PartitionWriters partitions, SortedSet<string> outside)
    {
        using var reader = TableReader.Open(path, format, TableFiles.Open);
        var batch = new TableBatch(schema);
        var keyColumn = batch.Columns[column];
        Span<char> buffer = stackalloc char[length];
        var last = string.Empty;
        bool more;
        do
        {
            ThrowIfCancelled();
            more = reader.ReadInto(batch);
            for (var row = 0; row < batch.Count; row++)
            {
                if (!batch.Error.IsNull(row))
                {
                    LogCodedError("CAIRN1205", $"{batch.Source.Text(row)}: {batch.Error.Text(row)}. A landing keeps the sources' columns only, so it cannot carry the row as it is: fix the row in {path}, or land the file with Ingest, which keeps such rows with the reason in _error.", path);
                    return false;
                }

                var value = keyColumn is TextColumn text ? text.Span(row) : keyColumn.Text(row).AsSpan();
                var key = Key(value.Trim(), length, buffer);
                if (!key.SequenceEqual(last))
                {
                    last = key.ToString();
                    if (last.Length == 0 || last is "." or ".." || last.AsSpan().IndexOfAny('/', '\\') >= 0 || last.Any(char.IsControl))
                    {
                        var pattern = length == 13 ? "YYYY-MM-DDTHH" : length == 10 ? "YYYY-MM-DD" : "YYYY-MM";
                        LogCodedError("CAIRN1201", $"{batch.Source.Text(row)}: '{value.Trim()}' in column '{Column}' cannot name a partition; give the row a {Grain} in the form {pattern}, or remove it.", path);
                        return false;
                    }
                }

                RowsIn++;
                if (selection.Contains(last))
                {
                    partitions.Add(last, batch, row);
                }
                else
                {
                    RowsOutside++;
                    outside.Add(last);
                }
            }

            batch.Clear();
        }
        while (more);
        return true;
    }

    /// <summary>Opens every source for its columns and returns the columns they share; null, with every problem logged, when they do not.</summary>
    private List<SchemaColumn>? SharedSchema(List<(string Path, TableFormat Format)> sources)
    {
        List<SchemaColumn>? schema = null;
        var firstPath = string.Empty;
        foreach (var (path, format) in sources)
        {
            try
            {
                using var reader = TableReader.Open(path, format, TableFiles.Open);
                if (schema is null)
                {
                    (schema, firstPath) = ([.. reader.Schema], path);
                }
                else if (SchemaDifference.Find(schema, firstPath, reader.Schema, path) is { } difference)
                {
                    LogCodedError("CAIRN1202", $"{difference.Text}. Fix: the sources of one landing share their columns and types; correct the file, or land it by a stage of its own.", path);
                }
                else
                {
                    schema = [.. schema.Select((c, i) => c with { Nullable = c.Nullable || reader.Schema[i].Nullable })];
                }
            }
            catch (TableReadException e)
            {
                LogCodedError(e.Kind == TableProblemKind.NoHeader ? "CAIRN1200" : "CAIRN1204", e.Message, path);
            }
        }

        return Log.HasLoggedErrors ? null : schema;
    }

    /// <summary>The start of the value that names its partition at the grain: an hour's space after the date read as <c>T</c>.</summary>
    private static ReadOnlySpan<char> Key(ReadOnlySpan<char> value, int length, Span<char> buffer)
    {
        if (value.Length < length)
        {
            return value;
        }

        value[..length].CopyTo(buffer);
        if (length == 13 && buffer[10] == ' ')
        {
            buffer[10] = 'T';
        }

        return buffer;
    }
}
