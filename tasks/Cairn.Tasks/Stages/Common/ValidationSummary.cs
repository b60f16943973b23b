using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Microsoft.Build.Framework;

namespace Cairn.Stages.Common;

/// <summary>
/// The run-level summary of contract validation (<c>reports/validation_summary.md</c>): for every partition its rows,
/// null values, rows with contract violations and the values breaking the contract, rows that could not be read, and
/// the rows the cleaning stage quarantined, the worst partitions first; above it the totals and each column's nulls
/// and violations. Reads the profiles <see cref="ValidateContract"/> writes and, when given, the quarantine files (CSV
/// with a header, one row per quarantined row). A partition is named by its item's <c>Partition</c> metadata, else by
/// its file's folder (<c>date=2013-05-03</c> gives <c>2013-05-03</c>). The same inputs give the same bytes.
/// </summary>
/// <remarks>
/// Worst first means: most rows with violations, then most rows quarantined, then most null values, then partition
/// name. A profile or quarantine file that cannot be read fails the stage (CAIRN2100, CAIRN2101), naming the file; two
/// profiles (or two quarantine files) of one partition fail it too (CAIRN2102).
/// </remarks>
public sealed class ValidationSummary : StageTask
{
    /// <summary>The item metadata that names an input's partition, when its folder does not.</summary>
    public const string PartitionMetadata = "Partition";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly CsvReaderOptions QuarantineCsv = new() { Separator = ',' };

    /// <summary>The per-partition profiles <see cref="ValidateContract"/> writes (JSON).</summary>
    [Required]
    [StageInput]
    public ITaskItem[] Profiles { get; set; } = [];

    /// <summary>The per-partition quarantine files, CSV with a header; optional.</summary>
    [StageInput]
    public ITaskItem[] Quarantine { get; set; } = [];

    /// <summary>The summary to write (Markdown).</summary>
    [Required]
    [StageOutput]
    public string Summary { get; set; } = string.Empty;

    /// <summary>How many partitions the summary covers.</summary>
    [Output]
    [StageMetric]
    public long Partitions { get; set; }

    /// <summary>Rows with a contract violation, over every partition.</summary>
    [Output]
    [StageMetric]
    public long RowsWithViolations { get; set; }

    /// <summary>Rows in the quarantine files, over every partition.</summary>
    [Output]
    [StageMetric]
    public long QuarantinedRows { get; set; }

    public override bool Execute()
    {
        // Which partition each file is, and the second file of a partition refused, in the items' order; then the files
        // read on every core (a summary over years of days reads two files a day); then the totals added and the
        // errors said in the items' order, so the same inputs give the same bytes and the same messages.
        var partitions = new SortedDictionary<string, PartitionValidation>(StringComparer.Ordinal);
        var columns = new List<ColumnValidation>();
        var profiles = FirstPerPartition(Profiles, "profile", "bind one profile per partition (data/profiles/date={each}/profile.json)");
        var quarantines = FirstPerPartition(Quarantine, "quarantine file", "bind one file per partition (data/quarantine/date={each}/….csv)");
        var profileReadings = new ProfileReading[profiles.Count];
        var rowCounts = new (long? Rows, string? Problem)[quarantines.Count];
        ThrowIfCancelled();
        Parallel.For(0, profiles.Count + quarantines.Count, i =>
        {
            if (!IsCancellationRequested)
            {
                if (i < profiles.Count)
                {
                    profileReadings[i] = ReadProfile(profiles[i].Path);
                }
                else
                {
                    rowCounts[i - profiles.Count] = CountRows(quarantines[i - profiles.Count].Path);
                }
            }
        });
        ThrowIfCancelled();

        for (var i = 0; i < profiles.Count; i++)
        {
            if (AddProfile(profileReadings[i], columns) is { } read)
            {
                partitions[profiles[i].Partition] = read;
            }
            else
            {
                LogError("CAIRN2100", $"the profile {profiles[i].Path} cannot be read: {profileReadings[i].Problem ?? LacksCounts}. Re-run the validation stage that writes it (ValidateContract).");
            }
        }

        for (var i = 0; i < quarantines.Count; i++)
        {
            var (partition, path) = quarantines[i];
            if (rowCounts[i].Rows is { } rows)
            {
                partitions[partition] = (partitions.TryGetValue(partition, out var known) ? known : PartitionValidation.Missing) with { Quarantined = rows };
            }
            else
            {
                LogError("CAIRN2101", $"the quarantine file {path} cannot be read: {rowCounts[i].Problem}. Re-run the stage that writes it.");
            }
        }

        if (Log.HasLoggedErrors)
        {
            return false;
        }

        Partitions = partitions.Count;
        RowsWithViolations = partitions.Values.Sum(p => p.RowsWithViolations ?? 0);
        QuarantinedRows = partitions.Values.Sum(p => p.Quarantined ?? 0);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(Summary))!);
        File.WriteAllText(Summary, Markdown(partitions, columns, Quarantine.Length > 0), Utf8NoBom);
        return !Log.HasLoggedErrors;
    }

    private string Markdown(SortedDictionary<string, PartitionValidation> partitions, List<ColumnValidation> columns, bool withQuarantine)
    {
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');
        string N(long value) => value.ToString(CultureInfo.InvariantCulture);
        string Cell(long? value) => value is { } v ? N(v) : "-";

        Line("# Validation summary");
        Line(string.Empty);
        var profiled = partitions.Values.Where(p => p.Rows is not null).ToList();
        var span = partitions.Count == 0 ? "no partitions" : partitions.Count == 1
            ? $"1 partition ({partitions.Keys.First()})"
            : $"{N(partitions.Count)} partitions ({partitions.Keys.First()} to {partitions.Keys.Last()})";
        var withViolations = profiled.Count(p => p.RowsWithViolations > 0);
        var quarantine = withQuarantine ? $", {N(QuarantinedRows)} rows quarantined" : string.Empty;
        Line($"{span}: {N(profiled.Sum(p => p.Rows!.Value))} rows, {N(profiled.Sum(p => p.Nulls))} null values, {N(RowsWithViolations)} rows with contract violations in {N(withViolations)} {(withViolations == 1 ? "partition" : "partitions")}, {N(profiled.Sum(p => p.ReadErrors))} rows that could not be read{quarantine}.");
        Line(string.Empty);
        Line("## Columns");
        Line(string.Empty);
        Line("| Column | Type | Nulls | Violations |");
        Line("| --- | --- | ---: | ---: |");
        foreach (var column in columns)
        {
            Line($"| {column.Name} | {column.Type} | {N(column.Nulls)} | {N(column.Violations)} |");
        }

        Line(string.Empty);
        Line("## Partitions, worst first");
        Line(string.Empty);
        Line("Most rows with contract violations first, then most rows quarantined, then most null values. Violations count values that break the contract; a row can hold several.");
        Line(string.Empty);
        Line(withQuarantine
            ? "| Partition | Rows | Nulls | Rows with violations | Violations | Read errors | Quarantined | Where |"
            : "| Partition | Rows | Nulls | Rows with violations | Violations | Read errors | Where |");
        Line(withQuarantine ? "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |" : "| --- | ---: | ---: | ---: | ---: | ---: | --- |");
        var worstFirst = partitions
            .OrderByDescending(p => p.Value.RowsWithViolations ?? 0)
            .ThenByDescending(p => p.Value.Quarantined ?? 0)
            .ThenByDescending(p => p.Value.Nulls)
            .ThenBy(p => p.Key, StringComparer.Ordinal);
        foreach (var (partition, p) in worstFirst)
        {
            List<string> cells = [partition, Cell(p.Rows), p.Rows is null ? "-" : N(p.Nulls), Cell(p.RowsWithViolations), p.Rows is null ? "-" : N(p.Violations), p.Rows is null ? "-" : N(p.ReadErrors)];
            if (withQuarantine)
            {
                cells.Add(Cell(p.Quarantined));
            }

            cells.Add(p.Rows is null ? "no profile" : string.Join(", ", p.Problems));
            Line(("| " + string.Join(" | ", cells) + " |").Replace("|  |", "| |", StringComparison.Ordinal));
        }

        return text.ToString();
    }

    private const string LacksCounts = "it lacks rows, rows_with_violations or a column's nulls or violations";

    /// <summary>
    /// The files of each partition but its first, refused (CAIRN2102) in the items' order; the first kept with its
    /// partition.
    /// </summary>
    private List<(string Partition, string Path)> FirstPerPartition(ITaskItem[] items, string kind, string fix)
    {
        var kept = new List<(string Partition, string Path)>(items.Length);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var partition = PartitionOf(item);
            if (!seen.Add(partition))
            {
                LogError("CAIRN2102", $"{item.ItemSpec} is a second {kind} of partition {partition}; {fix}.");
                continue;
            }

            kept.Add((partition, item.ItemSpec));
        }

        return kept;
    }

    /// <summary>Adds one profile's columns to the totals (in order of first appearance); its partition's counts, or null when it could not be read.</summary>
    private static PartitionValidation? AddProfile(ProfileReading reading, List<ColumnValidation> columns)
    {
        if (reading.Partition is null)
        {
            return null;
        }

        foreach (var (name, type, nulls, violations) in reading.Columns)
        {
            var total = columns.Find(c => c.Name == name);
            if (total is null)
            {
                if (type is null)
                {
                    return null;
                }

                total = new ColumnValidation(name, type);
                columns.Add(total);
            }

            total.Nulls += nulls;
            total.Violations += violations;
        }

        return reading.Partition;
    }

    /// <summary>Reads one profile: its counts and its columns', or why it cannot be read. Touches nothing shared: it runs on every core.</summary>
    private static ProfileReading ReadProfile(string path)
    {
        string problem;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            var problems = new List<string>();
            var columns = new List<(string Name, string? Type, long Nulls, long Violations)>();
            long nulls = 0, violations = 0;
            foreach (var column in root.GetProperty("columns").EnumerateObject())
            {
                var columnNulls = column.Value.GetProperty("nulls").GetInt64();
                var columnViolations = column.Value.GetProperty("violations").GetInt64();
                var type = column.Value.TryGetProperty("type", out var given) ? given.GetString() ?? "?" : null;
                columns.Add((column.Name, type, columnNulls, columnViolations));
                nulls += columnNulls;
                violations += columnViolations;
                if (columnNulls > 0 || columnViolations > 0)
                {
                    var counts = new[] { (columnNulls, "null"), (columnViolations, "violation") }
                        .Where(c => c.Item1 > 0)
                        .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Item1} {c.Item2}{(c.Item1 == 1 ? string.Empty : "s")}"));
                    problems.Add($"{column.Name}: {string.Join(", ", counts)}");
                }
            }

            var partition = new PartitionValidation(
                root.GetProperty("rows").GetInt64(),
                nulls,
                root.GetProperty("rows_with_violations").GetInt64(),
                violations,
                root.TryGetProperty("rows_with_read_errors", out var readErrors) ? readErrors.GetInt64() : 0,
                null,
                problems);
            return new ProfileReading(partition, columns, null);
        }
        catch (JsonException e)
        {
            problem = e.Message.TrimEnd('.');
        }
        catch (KeyNotFoundException)
        {
            problem = LacksCounts;
        }
        catch (InvalidOperationException e)
        {
            problem = e.Message.TrimEnd('.');
        }
        catch (FormatException e)
        {
            problem = e.Message.TrimEnd('.');
        }
        catch (IOException e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            problem = e.Message.TrimEnd('.');
        }

        return new ProfileReading(null, [], problem);
    }

    /// <summary>The rows of one quarantine file (CSV with a header), or why it cannot be read. Touches nothing shared: it runs on every core.</summary>
    private static (long? Rows, string? Problem) CountRows(string path)
    {
        try
        {
            using var csv = CsvReader.FromFile(path, QuarantineCsv);
            var rows = 0L;
            while (csv.Read())
            {
                rows++;
            }

            return (rows, null);
        }
        catch (CsvFormatException e)
        {
            return (null, e.Message.TrimEnd('.'));
        }
        catch (IOException e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, e.Message.TrimEnd('.'));
        }
    }

    private static string PartitionOf(ITaskItem item)
    {
        var given = item.GetMetadata(PartitionMetadata);
        if (!string.IsNullOrEmpty(given))
        {
            return given;
        }

        var folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(item.ItemSpec))) ?? item.ItemSpec;
        var equals = folder.IndexOf('=', StringComparison.Ordinal);
        return equals >= 0 ? folder[(equals + 1)..] : folder;
    }

    private void LogError(string code, string message) =>
        Log.LogError(subcategory: null, code, helpKeyword: null, file: null, 0, 0, 0, 0, message);
}
