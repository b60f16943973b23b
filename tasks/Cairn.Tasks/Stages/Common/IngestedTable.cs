using CsvHelper;

namespace Cairn.Stages.Common;

/// <summary>
/// A CSV file written by <see cref="IngestCsv"/>: the raw header's columns, then <c>_source</c> and <c>_error</c>.
/// Later stages (validation, cleaning) read it with <see cref="Read"/>.
/// </summary>
public sealed class IngestedTable
{
    /// <summary>The bookkeeping column that says where a row came from (<c>raw file name:line</c>).</summary>
    public const string SourceColumn = "_source";

    /// <summary>The bookkeeping column that says why a row could not be read cleanly; empty when it could.</summary>
    public const string ErrorColumn = "_error";

    private static readonly CsvReaderOptions Options = CsvReaderOptions.Default with
    {
        Separator = ',',
        HasHeader = false,
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Throw,
    };

    private IngestedTable(IReadOnlyList<string> columns, IReadOnlyList<IngestedRow> rows)
    {
        Columns = columns;
        Rows = rows;
    }

    /// <summary>The data columns in file order, without <c>_source</c> and <c>_error</c>.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The rows in file order.</summary>
    public IReadOnlyList<IngestedRow> Rows { get; }

    /// <summary>Reads a whole IngestCsv output into memory (one partition's rows).</summary>
    /// <exception cref="InvalidDataException">The file is not an IngestCsv output; the message says why.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static IngestedTable Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var reader = CsvReader.FromFile(path, Options);
            if (!reader.Read())
            {
                throw new InvalidDataException("it is empty");
            }

            var header = Fields(reader);
            var source = Array.IndexOf(header, SourceColumn);
            var error = Array.IndexOf(header, ErrorColumn);
            if (source < 0 || error < 0)
            {
                throw new InvalidDataException($"its header has no '{SourceColumn}' and '{ErrorColumn}' columns");
            }

            var data = Enumerable.Range(0, header.Length).Where(i => i != source && i != error).ToArray();
            var rows = new List<IngestedRow>();
            while (reader.Read())
            {
                var fields = Fields(reader);
                if (fields.Length != header.Length)
                {
                    throw new InvalidDataException($"line {reader.LineNumber} has {fields.Length} fields, its header has {header.Length}");
                }

                rows.Add(new IngestedRow([.. data.Select(i => fields[i])], fields[source], fields[error]));
            }

            return new IngestedTable([.. data.Select(i => header[i])], rows);
        }
        catch (CsvFormatException e)
        {
            throw new InvalidDataException($"it is not valid CSV: {e.Message}", e);
        }
    }

    private static string[] Fields(CsvReader reader)
    {
        var fields = new string[reader.FieldCount];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = reader.GetString(i) ?? string.Empty;
        }

        return fields;
    }
}
