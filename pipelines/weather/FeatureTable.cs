using System.Globalization;
using CsvHelper;

namespace Cairn.Pipelines.Weather;

/// <summary>
/// The rows of a set of features files (CSV with a <c>date</c> column, numeric feature columns and a 0/1
/// label column), ordered by date. Ordering by date rather than by file makes the result independent of
/// how the rows were partitioned into files and of the order the files were given in.
/// </summary>
internal sealed class FeatureTable
{
    private const string DateColumn = "date";

    // The features stage writes comma-separated invariant text: no separator guessing, and a record
    // with missing fields is an error rather than a row of empty values.
    private static readonly CsvReaderOptions Options = new()
    {
        Separator = ',',
        FormatProvider = CultureInfo.InvariantCulture,
        FieldCountMismatch = CsvFieldCountHandling.Throw,
        TrackLineNumbers = true,
    };

    private FeatureTable(IReadOnlyList<string> featureColumns, string label, IReadOnlyList<FeatureRow> rows, IReadOnlyList<FeatureSource> sources)
    {
        FeatureColumns = featureColumns;
        Label = label;
        Rows = rows;
        Sources = sources;
    }

    public IReadOnlyList<string> FeatureColumns { get; }

    public string Label { get; }

    public IReadOnlyList<FeatureRow> Rows { get; }

    /// <summary>The files read, in ordinal order of their paths.</summary>
    public IReadOnlyList<FeatureSource> Sources { get; }

    /// <exception cref="FeatureFileException">A file is missing, lacks a column, or holds a value that is not a number, date or 0/1 label.</exception>
    public static FeatureTable Read(IEnumerable<string> paths, IReadOnlyList<string> featureColumns, string label)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(featureColumns);
        var rows = new List<FeatureRow>();
        var sources = new List<FeatureSource>();
        foreach (var path in paths.Order(StringComparer.Ordinal))
        {
            var before = rows.Count;
            ReadFile(path, featureColumns, label, rows);
            DateOnly? first = null;
            DateOnly? last = null;
            for (var i = before; i < rows.Count; i++)
            {
                first = first is null || rows[i].Date < first ? rows[i].Date : first;
                last = last is null || rows[i].Date > last ? rows[i].Date : last;
            }

            sources.Add(new FeatureSource(path, rows.Count - before, first, last));
        }

        // A stable sort keeps rows of one date in file order, so duplicated dates stay deterministic too.
        var ordered = rows.OrderBy(row => row.Date).ToArray();
        return new FeatureTable(featureColumns, label, ordered, sources);
    }

    private static void ReadFile(string path, IReadOnlyList<string> featureColumns, string label, List<FeatureRow> rows)
    {
        try
        {
            using var csv = CsvReader.FromFile(path, Options);
            csv.ReadHeader();
            var header = csv.Headers.ToArray();
            if (header.Length == 0)
            {
                throw new FeatureFileException($"features file '{path}' is empty; it needs a header line with {DateColumn}, {label} and the feature columns");
            }

            var dateIndex = ColumnIndex(path, header, DateColumn);
            var labelIndex = ColumnIndex(path, header, label);
            var featureIndexes = featureColumns.Select(column => ColumnIndex(path, header, column)).ToArray();
            while (csv.Read())
            {
                var line = csv.LineNumber;
                var date = ParseDate(path, line, csv.GetString(dateIndex));
                var values = new double[featureIndexes.Length];
                for (var i = 0; i < featureIndexes.Length; i++)
                {
                    values[i] = ParseNumber(path, line, featureColumns[i], csv.GetString(featureIndexes[i]));
                }

                rows.Add(new FeatureRow(date, values, ParseLabel(path, line, label, csv.GetString(labelIndex))));
            }
        }
        catch (IOException e)
        {
            throw new FeatureFileException($"features file '{path}' cannot be read: {e.Message.TrimEnd('.')}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new FeatureFileException($"features file '{path}' cannot be read: {e.Message.TrimEnd('.')}", e);
        }
        catch (CsvFormatException e)
        {
            throw new FeatureFileException($"features file '{path}' is not valid CSV: {e.Message.TrimEnd('.')}", e);
        }
    }

    private static int ColumnIndex(string path, string[] header, string column)
    {
        var index = Array.IndexOf(header, column);
        if (index < 0)
        {
            throw new FeatureFileException($"features file '{path}' has no column '{column}'; its columns are: {string.Join(", ", header)}");
        }

        return index;
    }

    private static DateOnly ParseDate(string path, long line, string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new FeatureFileException($"features file '{path}' line {line}: {DateColumn} '{text}' is not a yyyy-MM-dd date");

    private static double ParseNumber(string path, long line, string column, string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new FeatureFileException($"features file '{path}' line {line}: {column} '{text}' is not a finite number");

    private static bool ParseLabel(string path, long line, string column, string? text) => text switch
    {
        "0" => false,
        "1" => true,
        _ => throw new FeatureFileException($"features file '{path}' line {line}: {column} '{text}' is not 0 or 1"),
    };
}
