using Cairn.Stages.Tables;

namespace Cairn.Stages.Common;

/// <summary>
/// An ingest output (see <see cref="Ingest"/>), CSV or Parquet: the data columns, then <c>_source</c> and
/// <c>_error</c>, read whole into memory. Stages that need one partition's rows at hand (cleaning) read it with
/// <see cref="Read"/>; the built-in stages stream instead.
/// </summary>
public sealed class IngestedTable
{
    /// <summary>The bookkeeping column that says where a row came from (<c>raw file name:line</c>).</summary>
    public const string SourceColumn = "_source";

    /// <summary>The bookkeeping column that says why a row could not be read cleanly; empty when it could.</summary>
    public const string ErrorColumn = "_error";

    private IngestedTable(IReadOnlyList<string> columns, IReadOnlyList<IngestedRow> rows)
    {
        Columns = columns;
        Rows = rows;
    }

    /// <summary>The data columns in file order, without <c>_source</c> and <c>_error</c>.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The rows in file order. A Parquet value is its text as the ingest writes it to CSV.</summary>
    public IReadOnlyList<IngestedRow> Rows { get; }

    /// <summary>Reads a whole ingest output into memory (one partition's rows): Parquet when it is named <c>.parquet</c>, CSV otherwise.</summary>
    /// <exception cref="InvalidDataException">The file is not an ingest output; the message says why.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static IngestedTable Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            using var reader = TableReader.Open(path, TableFormats.FromExtension(path) ?? TableFormat.Csv, TableFiles.Open);
            if (!reader.HasBookkeeping)
            {
                throw new InvalidDataException($"its header has no '{SourceColumn}' and '{ErrorColumn}' columns");
            }

            var batch = new TableBatch(reader.Schema);
            var rows = new List<IngestedRow>();
            bool more;
            do
            {
                more = reader.ReadInto(batch);
                for (var row = 0; row < batch.Count; row++)
                {
                    rows.Add(new IngestedRow([.. batch.Columns.Select(c => c.Text(row))], batch.Source.Text(row), batch.Error.Text(row)));
                }

                batch.Clear();
            }
            while (more);

            return new IngestedTable([.. reader.Schema.Select(c => c.Name)], rows);
        }
        catch (TableReadException e)
        {
            throw new InvalidDataException(e.Message, e);
        }
    }
}
