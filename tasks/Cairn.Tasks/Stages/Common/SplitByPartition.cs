using System.Text;
using Microsoft.Build.Framework;

namespace Cairn.Stages.Common;

/// <summary>
/// A landing stage that fans out (<c>fans_out: true</c> in the pipeline file): reads CSV sources holding many
/// partitions' rows and writes one CSV per partition, cut by a column holding a date or a time. The engine gives
/// <see cref="Output"/> as a path naming <c>{partition}</c> (<c>…/date={partition}/flights.csv</c>); the stage writes
/// it once per partition its rows fall in, the header first, then the partition's rows as they were, in the sources'
/// order. What it writes is checked by the engine: a key that is not one of the pipeline's grain fails the cell.
/// </summary>
/// <remarks>
/// The key is the start of the column's value: <c>YYYY-MM-DDTHH</c> for hours (a space after the date is read as
/// <c>T</c>), <c>YYYY-MM-DD</c> for days, <c>YYYY-MM</c> for months; a value shorter than that is the key as it is, and
/// the engine refuses it. Errors: CAIRN1200 a source without a header or without the column, CAIRN1201 a row whose
/// value cannot name a folder (empty, or holding a path separator), CAIRN1202 sources with different headers,
/// CAIRN1203 a grain that is not hour, day or month. A field may be quoted, but not across lines; the rows are held in
/// memory until written.
/// </remarks>
[StageVersion("1")]
public sealed class SplitByPartition : StageTask
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The CSV files to cut, in the order their rows are written (the engine sorts them).</summary>
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

    /// <summary>How many partitions were written.</summary>
    [Output]
    [StageMetric]
    public long PartitionsWritten { get; set; }

    /// <summary>How many rows were read (and written).</summary>
    [Output]
    [StageMetric]
    public long RowsIn { get; set; }

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

        string? header = null;
        string? headerFile = null;
        var byKey = new SortedDictionary<string, StringBuilder>(StringComparer.Ordinal);
        foreach (var source in Sources.Select(s => s.ItemSpec))
        {
            var lines = File.ReadAllLines(source, Utf8NoBom);
            var name = Path.GetFileName(source);
            if (lines.Length == 0 || lines[0].TrimStart('\uFEFF').Trim().Length == 0)
            {
                LogCodedError("CAIRN1200", $"{name} has no header row; the first line names the columns, among them '{Column}'.", source);
                return false;
            }

            var first = lines[0].TrimStart('\uFEFF');
            if (header is null)
            {
                header = first;
                headerFile = name;
            }
            else if (!string.Equals(Normalized(header), Normalized(first), StringComparison.Ordinal))
            {
                LogCodedError("CAIRN1202", $"{name} has the header '{first}', but {headerFile} has '{header}'; the sources of one landing share their columns: fix the file, or land it by a stage of its own.", source);
                return false;
            }

            var column = Array.FindIndex(Fields(first), c => string.Equals(c.Trim(), Column, StringComparison.OrdinalIgnoreCase));
            if (column < 0)
            {
                LogCodedError("CAIRN1200", $"{name} has no column '{Column}' to cut it into partitions by; its header is '{first}'. Fix Column in the pipeline file.", source);
                return false;
            }

            for (var i = 1; i < lines.Length; i++)
            {
                ThrowIfCancelled();
                if (lines[i].Length == 0)
                {
                    continue;
                }

                var fields = Fields(lines[i]);
                var value = column < fields.Length ? fields[column].Trim() : string.Empty;
                var key = Key(value, length);
                if (key.Length == 0 || key is "." or ".." || key.AsSpan().IndexOfAny('/', '\\') >= 0 || key.Any(char.IsControl))
                {
                    LogCodedError("CAIRN1201", $"{name}:{i + 1}: '{value}' in column '{Column}' cannot name a partition; give the row a {Grain} in the form {(length == 13 ? "YYYY-MM-DDTHH" : length == 10 ? "YYYY-MM-DD" : "YYYY-MM")}, or remove it.", source);
                    return false;
                }

                if (!byKey.TryGetValue(key, out var rows))
                {
                    rows = new StringBuilder(header).Append('\n');
                    byKey[key] = rows;
                }

                rows.Append(lines[i]).Append('\n');
                RowsIn++;
            }
        }

        foreach (var (key, rows) in byKey)
        {
            var path = Output.Replace("{partition}", key, StringComparison.Ordinal);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, rows.ToString(), Utf8NoBom);
        }

        PartitionsWritten = byKey.Count;
        return !Log.HasLoggedErrors;
    }

    private static string Normalized(string header) => string.Join(',', Fields(header).Select(f => f.Trim().ToLowerInvariant()));

    /// <summary>The start of the value that names its partition at the grain: an hour's space after the date read as <c>T</c>.</summary>
    private static string Key(string value, int length)
    {
        if (value.Length < length)
        {
            return value;
        }

        var key = value[..length];
        return length == 13 && key[10] == ' ' ? string.Concat(key.AsSpan(0, 10), "T", key.AsSpan(11)) : key;
    }

    /// <summary>A line's fields, a quoted one unquoted (<c>""</c> inside it is one quote).</summary>
    private static string[] Fields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }
}
