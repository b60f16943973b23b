using System.Globalization;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace Cairn.Stages.Common;

/// <summary>
/// Reads a partition's raw CSV files (any schema) and writes one normalized CSV: UTF-8 without BOM, LF line ends,
/// header names trimmed and lower-cased, fields trimmed, and two bookkeeping columns at the end: <c>_source</c>
/// (<c>raw file name:line</c>) and <c>_error</c> (why a row could not be read cleanly, such as
/// <c>row has 7 fields, header has 6</c>; empty when it could). Rows with an error are kept, never dropped:
/// deciding what to do with them is the cleaning stage's job.
/// </summary>
/// <remarks>
/// Errors: CAIRN1000 no sources, CAIRN1001 empty file or no header, CAIRN1002 files with different headers,
/// CAIRN1003 unusable header, CAIRN1004 unreadable file or not UTF-8. Warning CAIRN1101: a header-only file.
/// </remarks>
public sealed partial class IngestCsv : StageTask
{
    /// <summary>The partition's raw CSV files, in the order their rows are written (the engine sorts them).</summary>
    [Required]
    [StageInput]
    public ITaskItem[] Sources { get; set; } = [];

    /// <summary>The normalized CSV to write.</summary>
    [Required]
    [StageOutput]
    public string Output { get; set; } = string.Empty;

    /// <summary>How many source files were read.</summary>
    [Output]
    [StageMetric]
    public long FilesRead { get; set; }

    /// <summary>How many data rows were written, those with an <c>_error</c> included.</summary>
    [Output]
    [StageMetric]
    public long RowsIn { get; set; }

    public override bool Execute()
    {
        if (Sources.Length == 0)
        {
            LogError("CAIRN1000", "IngestCsv was given no source files. Fix: pass the partition's raw CSV files as Sources (for example raw/date=2012-01-01/*.csv).");
            return false;
        }

        // Read every file before writing anything, so that every unreadable file and header mismatch is reported at once.
        var files = Sources.Select(source => ReadSource(source.ItemSpec)).OfType<RawCsvFile>().ToList();
        CheckSameHeader(files);
        if (Log.HasLoggedErrors)
        {
            return false;
        }

        Write(files);
        FilesRead = files.Count;
        RowsIn = files.Sum(f => (long)f.Rows.Count);
        Log.LogMessage(MessageImportance.Normal, string.Create(CultureInfo.InvariantCulture, $"IngestCsv: {RowsIn} rows from {FilesRead} files into {Output}"));
        return !Log.HasLoggedErrors;
    }

    private void CheckSameHeader(List<RawCsvFile> files)
    {
        if (files.Count == 0)
        {
            return;
        }

        var first = files[0];
        foreach (var file in files.Skip(1))
        {
            var width = Math.Max(first.Header.Length, file.Header.Length);
            for (var i = 0; i < width; i++)
            {
                var expected = i < first.Header.Length ? $"'{first.Header[i]}'" : "no column";
                var actual = i < file.Header.Length ? $"'{file.Header[i]}'" : "no column";
                if (!string.Equals(expected, actual, StringComparison.Ordinal))
                {
                    LogError(
                        "CAIRN1002",
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"{file.Path} header differs from {first.Path} at column {i + 1}: {actual} in {file.Path}, {expected} in {first.Path}. Fix: every file of a partition must have the same header; correct the one that is wrong."));
                    break;
                }
            }
        }
    }

    private void Write(List<RawCsvFile> files)
    {
        using var writer = StageCsv.OpenWriter(Output);
        writer.WriteHeader([.. files[0].Header, IngestedTable.SourceColumn, IngestedTable.ErrorColumn]);
        foreach (var file in files)
        {
            ThrowIfCancelled();
            // The file name, not its path: the output must not depend on where the landing zone sits.
            var name = Path.GetFileName(file.Path);
            foreach (var row in file.Rows)
            {
                foreach (var field in row.Fields)
                {
                    writer.WriteField(field);
                }

                writer.WriteField(string.Create(CultureInfo.InvariantCulture, $"{name}:{row.Line}"));
                writer.WriteField(row.Error);
                writer.EndRecord();
            }
        }
    }

    private void LogError(string code, string message) =>
        Log.LogError(subcategory: null, code, helpKeyword: null, file: null, 0, 0, 0, 0, message);

    private void LogWarning(string code, string message) =>
        Log.LogWarning(subcategory: null, code, helpKeyword: null, file: null, 0, 0, 0, 0, message);
}
