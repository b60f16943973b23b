using System.Globalization;

namespace Cairn.Stages.Tables;

/// <summary>
/// Writes rows into one file per partition as they arrive, in memory bounded whatever the files' sizes and order: at
/// most <see cref="MaxOpen"/> partitions are open at once, each holding at most <see cref="PendingRows"/> rows (or
/// <see cref="PendingChars"/> chars of text) before they are written. A row of a partition that is not open opens it,
/// closing the one written to longest ago. A closed CSV partition is opened again to append; a closed Parquet one
/// goes on in a segment file beside it, and <see cref="Complete"/> joins its segments into the partition's file.
/// </summary>
/// <remarks>
/// The bytes depend on the rows only, never on when they were written: CSV rows are written as they come, so appending
/// changes nothing; a Parquet partition is written in row groups of <see cref="TableBatch.Rows"/> rows, however its
/// rows were cut into segments on the way. Sources in time order (most exports) keep one or two partitions open; rows
/// in random order cost a close and an open per row once more than <see cref="MaxOpen"/> partitions are in play: the
/// memory stays bounded, the time does not.
/// </remarks>
internal sealed class PartitionWriters : IDisposable
{
    /// <summary>How many partitions are open at once.</summary>
    public const int MaxOpen = 32;

    /// <summary>The rows an open partition holds before they are written.</summary>
    public const int PendingRows = 4096;

    /// <summary>The chars of text an open partition holds before its rows are written.</summary>
    public const long PendingChars = 1 << 17;

    private const string Placeholder = "{partition}";

    private readonly string _template;
    private readonly TableFormat _format;
    private readonly IReadOnlyList<SchemaColumn> _schema;
    private readonly Dictionary<string, Partition> _partitions = new(StringComparer.Ordinal);
    private readonly List<Partition> _open = [];
    private long _tick;

    /// <param name="template">The path of each partition's file, naming <c>{partition}</c>.</param>
    /// <param name="format">The files' format.</param>
    /// <param name="schema">The data columns, written without <c>_source</c> and <c>_error</c>.</param>
    public PartitionWriters(string template, TableFormat format, IReadOnlyList<SchemaColumn> schema)
    {
        _template = template;
        _format = format;
        _schema = schema;
    }

    /// <summary>The partitions written to so far.</summary>
    public int Count => _partitions.Count;

    /// <summary>Adds row <paramref name="row"/> of <paramref name="batch"/> to the partition <paramref name="key"/>.</summary>
    public void Add(string key, TableBatch batch, int row)
    {
        if (!_partitions.TryGetValue(key, out var partition))
        {
            partition = new Partition(_template.Replace(Placeholder, key, StringComparison.Ordinal));
            _partitions[key] = partition;
        }

        if (partition.Pending is null)
        {
            Open(partition);
        }

        partition.LastUsed = ++_tick;
        var pending = partition.Pending!;
        pending.CopyRow(batch, row);
        if (pending.Count >= PendingRows || pending.Text.Used >= PendingChars)
        {
            Write(partition);
        }
    }

    /// <summary>Writes what every partition holds, closes them, and joins each Parquet partition's segments into its file.</summary>
    public void Complete()
    {
        foreach (var partition in _partitions.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value))
        {
            if (partition.Pending is not null)
            {
                Close(partition, last: true);
            }

            if (partition.Segments.Count > 0)
            {
                Join(partition);
            }
        }
    }

    public void Dispose()
    {
        foreach (var partition in _open)
        {
            partition.Writer?.Dispose();
        }

        _open.Clear();
    }

    /// <summary>Makes a partition ready for rows, closing the least recently used one when <see cref="MaxOpen"/> are open.</summary>
    private void Open(Partition partition)
    {
        if (_open.Count >= MaxOpen)
        {
            Close(_open.MinBy(p => p.LastUsed)!, last: false);
        }

        partition.Pending = new TableBatch(_schema);
        _open.Add(partition);
    }

    /// <summary>Writes a partition's rows so far, opening its file (or, for a Parquet partition closed before, its next segment) on the first.</summary>
    private void Write(Partition partition)
    {
        var pending = partition.Pending!;
        if (pending.Count == 0)
        {
            return;
        }

        if (partition.Writer is null)
        {
            if (_format == TableFormat.Csv)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(partition.Path))!);
                partition.Writer = new CsvTableWriter(partition.Path, _schema, bookkeeping: false, append: partition.Started);
            }
            else
            {
                var segment = string.Create(CultureInfo.InvariantCulture, $"{partition.Path}.{partition.Segments.Count + 1}.part");
                partition.Segments.Add(segment);
                partition.Writer = TableWriter.Create(segment, _format, _schema, bookkeeping: false);
            }

            partition.Started = true;
        }

        partition.Writer.Write(pending);
        pending.Clear();
    }

    /// <param name="partition">An open partition.</param>
    /// <param name="last">Whether no more rows come (<see cref="Complete"/>), rather than the partition making room for another.</param>
    private void Close(Partition partition, bool last)
    {
        // A Parquet partition whose rows all came before it was first written is written whole here: they fit one row
        // group, as a join of segments would give.
        if (last && _format == TableFormat.Parquet && !partition.Started && partition.Pending!.Count > 0)
        {
            using var writer = TableWriter.Create(partition.Path, _format, _schema, bookkeeping: false);
            writer.Write(partition.Pending);
            writer.Complete();
            partition.Started = true;
        }
        else
        {
            Write(partition);
        }

        if (partition.Writer is { } open)
        {
            open.Complete();
            open.Dispose();
            partition.Writer = null;
        }

        partition.Pending = null;
        _open.Remove(partition);
    }

    /// <summary>Writes a Parquet partition's segments, in order, into its file in full row groups, and removes them.</summary>
    private void Join(Partition partition)
    {
        using (var writer = TableWriter.Create(partition.Path, _format, _schema, bookkeeping: false))
        {
            var read = new TableBatch(_schema);
            var joined = new TableBatch(_schema);
            foreach (var segment in partition.Segments)
            {
                using var reader = TableReader.Open(segment, _format, TableFiles.Open);
                reader.WantSource = false;
                bool more;
                do
                {
                    more = reader.ReadInto(read);
                    for (var row = 0; row < read.Count; row++)
                    {
                        if (joined.IsFull)
                        {
                            writer.Write(joined);
                            joined.Clear();
                        }

                        joined.CopyRow(read, row);
                    }

                    read.Clear();
                }
                while (more);
            }

            if (joined.Count > 0)
            {
                writer.Write(joined);
            }

            writer.Complete();
        }

        foreach (var segment in partition.Segments)
        {
            File.Delete(segment);
        }

        partition.Segments.Clear();
    }

    private sealed class Partition(string path)
    {
        public string Path => path;

        /// <summary>The rows not written yet; null while the partition is closed.</summary>
        public TableBatch? Pending { get; set; }

        public TableWriter? Writer { get; set; }

        /// <summary>Whether anything of the partition was written (a CSV partition opened again appends).</summary>
        public bool Started { get; set; }

        /// <summary>A Parquet partition's segment files, in the order its rows were written to them.</summary>
        public List<string> Segments { get; } = [];

        public long LastUsed { get; set; }
    }
}
