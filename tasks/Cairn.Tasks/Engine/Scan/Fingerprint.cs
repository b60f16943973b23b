using System.Runtime.CompilerServices;
using Cairn.Engine.Plan;
using Cairn.Hashing;

namespace Cairn.Engine.Scan;

/// <summary>
/// The fingerprint of a cell: the hash of a canonical text naming the stage, its task and code version,
/// its parameters (by name, in ordinal order, culture-invariant) and the logical path and content hash of
/// every input. Output paths are part of it too, so re-binding an output re-runs the cell.
/// </summary>
internal static class Fingerprint
{
    public static string Compute(CellBinding cell, string taskType, string codeVersion, IReadOnlyList<string> inputHashes) =>
        Compute(cell, taskType, codeVersion, inputHashes, null);

    /// <summary>The same fingerprint from the inputs' hashes as read: each written as its text into the hashed text, no string made for it.</summary>
    public static string Compute(CellBinding cell, string taskType, string codeVersion, ContentHash[] inputHashes) =>
        Compute(cell, taskType, codeVersion, null, inputHashes);

    // Once per cell, over every input: a cell over thousands of files should not start out as unoptimized code. The
    // text is hashed as it is written, never held whole (TextHasher): a cell over 80,000 inputs would build 45 MB.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string Compute(CellBinding cell, string taskType, string codeVersion, IReadOnlyList<string>? texts, ContentHash[]? hashes)
    {
        var text = TextHasher.ForThisThread();
        text.Append("cairn-cell 1\n");
        text.Append("stage ").Append(cell.Stage).Append('\n');
        text.Append("task ").Append(taskType).Append('\n');
        text.Append("code ").Append(codeVersion).Append('\n');
        text.Append("partition ").Append(cell.Partition ?? "-").Append('\n');
        AppendParameters(text, cell.Parameters);

        for (var i = 0; i < cell.Inputs.Count; i++)
        {
            AppendLogical(text.Append("input ").Append(cell.Inputs[i].Property).Append(' '), cell.Inputs[i]).Append(' ');
            (hashes is null ? text.Append(texts![i]) : text.Append(hashes[i])).Append('\n');
        }

        foreach (var output in cell.Outputs)
        {
            AppendLogical(text.Append("output ").Append(output.Property).Append(' '), output).Append('\n');
        }

        return text.Finish().ToString();
    }

    // The binder's parameters come in ordinal order already (CellBinder's ParameterMap): read in place, not sorted again.
    private static void AppendParameters(TextHasher text, IReadOnlyDictionary<string, string> parameters)
    {
        if (parameters is ParameterMap<string> map)
        {
            for (var i = 0; i < map.Count; i++)
            {
                AppendParameter(text, map.NameAt(i), map.ValueAt(i));
            }

            return;
        }

        if (parameters is SortedList<string, string> sorted && ReferenceEquals(sorted.Comparer, StringComparer.Ordinal))
        {
            for (var i = 0; i < sorted.Count; i++)
            {
                AppendParameter(text, sorted.GetKeyAtIndex(i), sorted.GetValueAtIndex(i));
            }

            return;
        }

        if (parameters.Count == 0)
        {
            return;
        }

        var names = parameters.Keys.ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        foreach (var name in names)
        {
            AppendParameter(text, name, parameters[name]);
        }
    }

    private static void AppendParameter(TextHasher text, string name, string value) =>
        text.Append("param ").Append(name).Append('=').Append(Escape(value)).Append('\n');

    /// <summary>The file's logical path, escaped, read in place (a whole-dataset cell's 80,000 of them are not made for it).</summary>
    private static TextHasher AppendLogical(TextHasher text, BoundFile file)
    {
        var head = file.LogicalHead(out var tail);
        return head.AsSpan().IndexOfAny('\\', '\n') < 0 && tail.IndexOfAny('\\', '\n') < 0
            ? text.Append(head).Append(tail)
            : text.Append(Escape(file.LogicalPath));
    }

    // Values and paths are one line each in the canonical text; escaping keeps a newline in a value from forging another line.
    // One search finds that most need no escaping: a path per input of a cell over 80,000 of them.
    private static string Escape(string value) =>
        value.AsSpan().IndexOfAny('\\', '\n') < 0 ? value : value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
