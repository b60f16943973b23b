using System.Globalization;
using Cairn.Stages.Common;

namespace Cairn.Stages.Tables;

/// <summary>
/// A file's column names as the stages use them (trimmed, lower case) and where its bookkeeping columns are. A file
/// with both <c>_source</c> and <c>_error</c> is an ingest output: they are carried through rather than added again.
/// </summary>
internal sealed class TableHeader
{
    private TableHeader(string[] names, int source, int error)
    {
        Names = names;
        SourceIndex = source;
        ErrorIndex = error;
        DataIndexes = [.. Enumerable.Range(0, names.Length).Where(i => i != source && i != error)];
    }

    /// <summary>Every column's name, bookkeeping columns included, in file order.</summary>
    public string[] Names { get; }

    /// <summary>The file columns that are data, in file order.</summary>
    public int[] DataIndexes { get; }

    /// <summary>The <c>_source</c> column, or -1.</summary>
    public int SourceIndex { get; }

    /// <summary>The <c>_error</c> column, or -1.</summary>
    public int ErrorIndex { get; }

    public bool HasBookkeeping => SourceIndex >= 0;

    /// <summary>
    /// Normalises the names and checks that each can be a column: not empty, not repeated, and <c>_source</c> and
    /// <c>_error</c> only together.
    /// </summary>
    /// <param name="path">The file, as messages name it.</param>
    /// <param name="where">Where the names are, for messages: <c>line 1: header column</c> for CSV, <c>schema: column</c> for Parquet.</param>
    /// <param name="raw">The names as the file has them.</param>
    /// <param name="fix">The fix for a bad name, as messages end.</param>
    /// <exception cref="TableReadException">A name cannot be a column.</exception>
    public static TableHeader Create(string path, string where, IReadOnlyList<string> raw, string fix)
    {
        var names = raw.Select(n => n.Trim().ToLowerInvariant()).ToArray();
        var source = Array.IndexOf(names, IngestedTable.SourceColumn);
        var error = Array.IndexOf(names, IngestedTable.ErrorColumn);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            var name = names[i];
            var problem =
                name.Length == 0 ? "has no name"
                : seen.TryGetValue(name, out var first) ? $"'{name}' repeats column {first + 1}"
                : (i == source && error < 0) || (i == error && source < 0) ? $"is named '{name}', which the ingest adds itself"
                : null;
            if (problem is not null)
            {
                throw new TableReadException(
                    TableProblemKind.BadHeader,
                    string.Create(CultureInfo.InvariantCulture, $"{path} {where} {i + 1} {problem}. Fix: {fix}"));
            }

            seen[name] = i;
        }

        return new TableHeader(names, source, error);
    }
}
