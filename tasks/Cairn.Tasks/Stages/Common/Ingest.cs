using System.Globalization;
using Cairn.Stages.Tables;
using Microsoft.Build.Framework;

namespace Cairn.Stages.Common;

/// <summary>
/// Reads a partition's raw files, CSV or Parquet (any schema), and writes one normalized table, CSV or Parquet, with
/// two bookkeeping columns at the end: <c>_source</c> (where the row came from: <c>file name:line</c> for CSV,
/// <c>file name:row</c> for Parquet) and <c>_error</c> (why a row could not be read cleanly, such as
/// <c>row has 7 fields, header has 6</c>; empty when it could). Rows with an error are kept, never dropped: deciding
/// what to do with them is the cleaning stage's job. Files are streamed, so memory does not grow with their size.
/// </summary>
/// <remarks>
/// <para>
/// CSV in: UTF-8 (a byte order mark is skipped), LF or CRLF, header names trimmed and lower-cased, fields trimmed;
/// every column is text. Parquet in: flat columns of strings, integers, floats, decimals, booleans, dates and
/// timestamps, each keeping its type; names trimmed and lower-cased. A file that already has <c>_source</c> and
/// <c>_error</c> (an ingest output) keeps them, so ingesting converts between formats without changing a value.
/// </para>
/// <para>
/// CSV out: UTF-8 without byte order mark, LF, quotes only where needed; a Parquet value is written as its text
/// (numbers shortest round-trip, dates <c>yyyy-MM-dd</c>, timestamps ISO 8601, booleans <c>true</c>/<c>false</c>).
/// Parquet out: each column as its type (CSV text as strings, an empty field as null), settings pinned so that the
/// same rows give the same bytes (see <c>ParquetSettings</c>).
/// </para>
/// <para>
/// Errors: CAIRN1000 no sources, CAIRN1001 empty CSV file or no header, CAIRN1002 files with different headers or
/// column types, CAIRN1003 unusable header, CAIRN1004 unreadable file or not UTF-8, CAIRN1005 a file of another format
/// than the stage reads (or CSV and Parquet mixed), CAIRN1006 a damaged or unreadable Parquet file, CAIRN1007 a format
/// parameter that is not a format or contradicts the output's extension. Warning CAIRN1101: a file without rows. An
/// I/O failure other than a missing file is not logged but thrown as an <see cref="IOException"/>, which the engine's
/// retry policy treats as transient.
/// </para>
/// </remarks>
[StageVersion("2")]
public class Ingest : StageTask
{
    /// <summary>The partition's raw files, in the order their rows are written (the engine sorts them).</summary>
    [Required]
    [StageInput]
    public ITaskItem[] Sources { get; set; } = [];

    /// <summary>The normalized table to write.</summary>
    [Required]
    [StageOutput]
    public string Output { get; set; } = string.Empty;

    /// <summary>
    /// <c>csv</c> or <c>parquet</c>: the format of every source. Empty (the default): each file's extension says
    /// (<c>.parquet</c> is Parquet, anything else CSV), and all sources must be of one format.
    /// </summary>
    [StageParameter]
    public string InputFormat { get; set; } = string.Empty;

    /// <summary><c>csv</c> or <c>parquet</c>. Empty (the default): <see cref="Output"/>'s extension says (<c>.parquet</c> is Parquet, anything else CSV).</summary>
    [StageParameter]
    public string OutputFormat { get; set; } = string.Empty;

    /// <summary>How many source files were read.</summary>
    [Output]
    [StageMetric]
    public long FilesRead { get; set; }

    /// <summary>How many data rows were written, those with an <c>_error</c> included.</summary>
    [Output]
    [StageMetric]
    public long RowsIn { get; set; }

    /// <summary>Opens a source file; a test replaces it to inject I/O failures.</summary>
    internal Func<string, Stream> OpenFile { get; set; } = TableFiles.Open;

    private string TaskName => GetType().Name;

    public sealed override bool Execute()
    {
        if (Sources.Length == 0)
        {
            LogCodedError("CAIRN1000", $"{TaskName} was given no source files. Fix: pass the partition's raw CSV or Parquet files as Sources (for example raw/date=2012-01-01/*.csv).");
            return false;
        }

        var output = OutputFormatOf();
        var inputs = InputFormatsOf();
        if (output is not { } outputFormat || inputs is null)
        {
            return false;
        }

        // Read every file's header before writing anything, so that every unreadable file and header mismatch is reported at once.
        var schema = ReadSchemas(inputs, out var first);
        using var firstReader = first;
        if (schema is null || first is null || Log.HasLoggedErrors)
        {
            return false;
        }

        try
        {
            Write(inputs, schema, outputFormat, first);
        }
        catch (TableReadException e)
        {
            LogProblem(e);
        }

        if (Log.HasLoggedErrors)
        {
            // A file found damaged half way leaves a partial output; it is no result.
            File.Delete(Output);
            return false;
        }

        FilesRead = inputs.Count;
        Log.LogMessage(MessageImportance.Normal, string.Create(CultureInfo.InvariantCulture, $"{TaskName}: {RowsIn:N0} rows from {FilesRead:N0} files into {Output} ({TableFormats.Name(outputFormat)})"));
        return true;
    }

    // first: the first source's reader, opened for its header by ReadSchemas, and read from here.
    private void Write(List<(string Path, TableFormat Format)> inputs, List<SchemaColumn> schema, TableFormat format, TableReader first)
    {
        using var writer = TableWriter.Create(Output, format, schema);
        var batch = new TableBatch(schema);
        for (var i = 0; i < inputs.Count; i++)
        {
            var (path, inputFormat) = inputs[i];
            ThrowIfCancelled();
            using var opened = i == 0 ? null : TableReader.Open(path, inputFormat, OpenFile);
            var reader = opened ?? first;
            reader.KeepRecords = format == TableFormat.Csv;
            if (reader.NeedsEmptyBatch && batch.Count > 0)
            {
                Flush(writer, batch);
            }

            while (reader.ReadInto(batch))
            {
                Flush(writer, batch);
                ThrowIfCancelled();
            }

            if (reader.RowsRead == 0)
            {
                LogCodedWarning("CAIRN1101", inputFormat == TableFormat.Csv ? $"{path} has a header but no data rows; it adds no rows." : $"{path} has no rows; it adds none.");
            }

            RowsIn += reader.RowsRead;
        }

        Flush(writer, batch);
        writer.Complete();
    }

    private static void Flush(TableWriter writer, TableBatch batch)
    {
        if (batch.Count > 0)
        {
            writer.Write(batch);
        }

        batch.Clear();
    }

    /// <summary>
    /// Opens each source for its header or schema, logs every problem, and returns the schema they share (null on a
    /// problem). The first source's reader is handed back open (<paramref name="first"/>, the caller's to dispose) when
    /// every source opened: writing starts with it, so a partition of one file, the usual case, is opened once.
    /// </summary>
    private List<SchemaColumn>? ReadSchemas(List<(string Path, TableFormat Format)> inputs, out TableReader? first)
    {
        first = null;
        var headers = new List<(string Path, TableReader Reader)>();
        try
        {
            foreach (var (path, format) in inputs)
            {
                try
                {
                    headers.Add((path, TableReader.Open(path, format, OpenFile)));
                }
                catch (TableReadException e)
                {
                    LogProblem(e);
                }
            }

            var schema = headers.Count == 0 ? null : SharedSchema(headers);
            if (schema is not null && headers.Count == inputs.Count)
            {
                first = headers[0].Reader;
                headers.RemoveAt(0);
            }

            return schema;
        }
        finally
        {
            foreach (var (_, reader) in headers)
            {
                reader.Dispose();
            }
        }
    }

    private List<SchemaColumn>? SharedSchema(List<(string Path, TableReader Reader)> headers)
    {
        var (firstPath, first) = headers[0];
        var nullable = first.Schema.Select(c => c.Nullable).ToArray();
        foreach (var (path, reader) in headers.Skip(1))
        {
            if (reader.HasBookkeeping != first.HasBookkeeping)
            {
                LogCodedError(
                    "CAIRN1002",
                    $"{(reader.HasBookkeeping ? path : firstPath)} has the ingest's _source and _error columns and {(reader.HasBookkeeping ? firstPath : path)} does not. Fix: every file of a partition must have the same header; ingest the raw files, or convert the ingest outputs, in separate stages.");
                continue;
            }

            if (SchemaDifference.Find(first.Schema, firstPath, reader.Schema, path) is { } difference)
            {
                LogCodedError(
                    "CAIRN1002",
                    $"{difference.Text}. Fix: every file of a partition must have the same {(difference.OfType ? "column types" : "header")}; correct the one that is wrong.");
                continue;
            }

            for (var i = 0; i < nullable.Length; i++)
            {
                nullable[i] |= reader.Schema[i].Nullable;
            }
        }

        return Log.HasLoggedErrors ? null : [.. first.Schema.Select((c, i) => c with { Nullable = nullable[i] })];
    }

    private TableFormat? OutputFormatOf()
    {
        if (!TableFormats.TryParse(OutputFormat, out var given))
        {
            LogCodedError("CAIRN1007", $"OutputFormat '{OutputFormat}' is not a format. Fix: set it to one of {TableFormats.Names}, or leave it empty to go by the output's extension.");
            return null;
        }

        var named = TableFormats.FromExtension(Output);
        if (given is { } format && named is { } extension && format != extension)
        {
            LogCodedError("CAIRN1007", $"OutputFormat is {TableFormats.Name(format)}, but the output {Output} is named .{TableFormats.Name(extension)}. Fix: name the output .{TableFormats.Name(format)}, or leave OutputFormat empty.");
            return null;
        }

        return given ?? named ?? TableFormat.Csv;
    }

    private List<(string Path, TableFormat Format)>? InputFormatsOf()
    {
        if (!TableFormats.TryParse(InputFormat, out var given))
        {
            LogCodedError("CAIRN1007", $"InputFormat '{InputFormat}' is not a format. Fix: set it to one of {TableFormats.Names}, or leave it empty to go by each file's extension.");
            return null;
        }

        var inputs = Sources.Select(s => (Path: s.ItemSpec, Format: given ?? TableFormats.FromExtension(s.ItemSpec) ?? TableFormat.Csv)).ToList();
        if (given is { } told)
        {
            // A file whose extension names the other format is in the wrong place, whatever its content.
            foreach (var (path, _) in inputs.Where(i => TableFormats.FromExtension(i.Path) is { } named && named != told))
            {
                LogCodedError("CAIRN1005", $"{path} is a {TableFormats.Name(TableFormats.FromExtension(path)!.Value)} file, but {TaskName} reads {TableFormats.Name(told)} (InputFormat). Fix: remove it from the partition, or narrow Sources to *.{TableFormats.Name(told)}.");
            }
        }
        else if (inputs.Select(i => i.Format).Distinct().Count() > 1)
        {
            var csv = inputs.First(i => i.Format == TableFormat.Csv).Path;
            var parquet = inputs.First(i => i.Format == TableFormat.Parquet).Path;
            LogCodedError("CAIRN1005", $"{TaskName} was given both CSV and Parquet files ({csv}, {parquet}); a partition holds one format. Fix: keep one format in the partition, or narrow Sources (for example to *.parquet) and set InputFormat.");
        }

        return Log.HasLoggedErrors ? null : inputs;
    }

    private void LogProblem(TableReadException e) => LogCodedError(
        e.Kind switch
        {
            TableProblemKind.NoHeader => "CAIRN1001",
            TableProblemKind.BadHeader => "CAIRN1003",
            TableProblemKind.WrongFormat => "CAIRN1005",
            TableProblemKind.BadParquet or TableProblemKind.UnsupportedColumn => "CAIRN1006",
            _ => "CAIRN1004",
        },
        e.Message);


}
