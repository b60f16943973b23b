using System.Collections.Concurrent;

namespace Cairn.Stages.Contracts;

/// <summary>
/// A data contract: the columns a table must have, in order, and the rules each value must keep.
/// Loaded from a YAML file with a <c>columns</c> list; see <see cref="Load"/>.
/// </summary>
public sealed class DataContract
{
    private static readonly ConcurrentDictionary<string, (string Text, IReadOnlyList<ContractColumn> Columns)> Parsed = new(StringComparer.Ordinal);

    internal DataContract(string path, IReadOnlyList<ContractColumn> columns)
    {
        Path = path;
        Columns = columns;
    }

    /// <summary>The contract file, as given to <see cref="Load"/>; error messages name it.</summary>
    public string Path { get; }

    /// <summary>The columns in contract order.</summary>
    public IReadOnlyList<ContractColumn> Columns { get; }

    /// <summary>
    /// Loads a contract file:
    /// <code>
    /// columns:
    ///   - name: date          # required, lower case
    ///     type: date          # required: date (yyyy-MM-dd) | number | integer | category | string
    ///                         #   | boolean | timestamp (yyyy-MM-ddTHH:mm:ss[.fffffff][Z])
    ///     nullable: false     # default false
    ///     partition_key: true # date columns only: the value must equal the partition's date
    ///   - name: precipitation
    ///     type: number
    ///     min: 0              # number and integer columns only, inclusive
    ///     max: 500
    ///   - name: weather
    ///     type: category
    ///     allowed: [drizzle, fog, rain, snow, sun]   # required for category columns
    ///   - name: humidity
    ///     type: number
    ///     nullable: true
    ///     optional: true      # a table may lack the column (default false)
    /// </code>
    /// </summary>
    /// <exception cref="ContractException">The file cannot be read, is not valid YAML or breaks the format above.</exception>
    public static DataContract Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ContractException($"contract {path} cannot be read: {e.Message}", e);
        }

        // Thousands of cells load the same contract: parse it once per process and content. The cache is keyed by the
        // text itself, not by the file's timestamp, so an edited contract is never served stale.
        if (Parsed.TryGetValue(path, out var known) && string.Equals(known.Text, text, StringComparison.Ordinal))
        {
            return new DataContract(path, known.Columns);
        }

        var columns = ContractYamlReader.ReadColumns(path, text);
        Parsed[path] = (text, columns);
        return new DataContract(path, columns);
    }

    /// <summary>
    /// Compares a header with the contract by name: every contract column must be present and no other column.
    /// A missing and an extra column at the same position are reported once, as <see cref="HeaderProblemKind.Renamed"/>.
    /// Column order is not checked: stages find columns by name.
    /// </summary>
    /// <param name="header">The data columns (without bookkeeping columns such as the ingest's <c>_source</c>).</param>
    /// <returns>The problems ordered by position; empty when the header fits.</returns>
    public IReadOnlyList<HeaderProblem> CheckHeader(IReadOnlyList<string> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var declared = Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var present = header.ToHashSet(StringComparer.Ordinal);
        var extraAt = new Dictionary<int, string>();
        for (var i = 0; i < header.Count; i++)
        {
            if (!declared.Contains(header[i]))
            {
                extraAt[i] = header[i];
            }
        }

        var problems = new List<HeaderProblem>();
        for (var i = 0; i < Columns.Count; i++)
        {
            var name = Columns[i].Name;
            if (present.Contains(name))
            {
                continue;
            }

            if (Columns[i].Optional && !extraAt.ContainsKey(i))
            {
                continue;
            }

            if (extraAt.Remove(i, out var actual))
            {
                problems.Add(new HeaderProblem(HeaderProblemKind.Renamed, i + 1, name, actual));
            }
            else
            {
                problems.Add(new HeaderProblem(HeaderProblemKind.Missing, i + 1, name, null));
            }
        }

        problems.AddRange(extraAt.Select(e => new HeaderProblem(HeaderProblemKind.Extra, e.Key + 1, null, e.Value)));
        return [.. problems.OrderBy(p => p.Position).ThenBy(p => p.Kind)];
    }

    /// <summary>The index in <paramref name="header"/> of each contract column, in contract order; -1 for an optional column the header lacks.</summary>
    /// <exception cref="ArgumentException">A required contract column is not in the header; call <see cref="CheckHeader"/> first.</exception>
    public IReadOnlyList<int> IndexesIn(IReadOnlyList<string> header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var indexes = new int[Columns.Count];
        for (var i = 0; i < Columns.Count; i++)
        {
            indexes[i] = -1;
            for (var j = 0; j < header.Count && indexes[i] < 0; j++)
            {
                if (string.Equals(header[j], Columns[i].Name, StringComparison.Ordinal))
                {
                    indexes[i] = j;
                }
            }

            if (indexes[i] < 0 && !Columns[i].Optional)
            {
                throw new ArgumentException($"the header has no column '{Columns[i].Name}'; check it with CheckHeader first", nameof(header));
            }
        }

        return indexes;
    }

    /// <summary>Checks one row and returns every reason it breaks the contract (empty when it keeps it).</summary>
    /// <param name="values">The row's trimmed values in contract order (see <see cref="IndexesIn"/>).</param>
    /// <param name="partition">The partition's date, or null to skip the partition key check.</param>
    public IReadOnlyList<string> CheckRow(IReadOnlyList<string> values, DateOnly? partition) =>
        CheckRowIn(values, partition is { } day ? PartitionSpan.Day(day) : null);

    /// <summary>
    /// Checks one row against the contract and a partition of any grain: the <c>partition_key</c> column's date must
    /// be one of its days (an hour's day, a day, a month's days). Returns every reason the row breaks the contract.
    /// </summary>
    /// <param name="values">The row's trimmed values in contract order (see <see cref="IndexesIn"/>).</param>
    /// <param name="partition">The partition, from <see cref="Common.ContractedInput.TryParsePartitionKey"/>.</param>
    public IReadOnlyList<string> CheckRowInPartition(IReadOnlyList<string> values, PartitionSpan partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        return CheckRowIn(values, partition);
    }

    private List<string> CheckRowIn(IReadOnlyList<string> values, PartitionSpan? span)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != Columns.Count)
        {
            throw new ArgumentException($"expected {Columns.Count} values in contract order, got {values.Count}", nameof(values));
        }

        var reasons = new List<string>();
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i].Check(values[i].AsSpan(), span) is { } reason)
            {
                reasons.Add(reason);
            }
        }

        return reasons;
    }
}
