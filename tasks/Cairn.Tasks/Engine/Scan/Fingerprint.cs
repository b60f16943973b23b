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
    // Once per cell, over every input: a cell over thousands of files should not start out as unoptimized code. The
    // text is hashed as it is written, never held whole (TextHasher): a cell over 80,000 inputs would build 45 MB.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Compute(CellBinding cell, string taskType, string codeVersion, IReadOnlyList<string> inputHashes)
    {
        var text = new TextHasher();
        text.Append("cairn-cell 1\n");
        text.Append("stage ").Append(cell.Stage).Append('\n');
        text.Append("task ").Append(taskType).Append('\n');
        text.Append("code ").Append(codeVersion).Append('\n');
        text.Append("partition ").Append(cell.Partition ?? "-").Append('\n');
        foreach (var (name, value) in cell.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append("param ").Append(name).Append('=').Append(Escape(value)).Append('\n');
        }

        for (var i = 0; i < cell.Inputs.Count; i++)
        {
            text.Append("input ").Append(cell.Inputs[i].Property).Append(' ').Append(Escape(cell.Inputs[i].LogicalPath)).Append(' ').Append(inputHashes[i]).Append('\n');
        }

        foreach (var output in cell.Outputs)
        {
            text.Append("output ").Append(output.Property).Append(' ').Append(Escape(output.LogicalPath)).Append('\n');
        }

        return text.Finish().ToString();
    }

    // Values and paths are one line each in the canonical text; escaping keeps a newline in a value from forging another line.
    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
