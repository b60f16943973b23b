using System.Collections;
using Cairn.Engine.Plan;

namespace Cairn.Engine.Scan;

/// <summary>A cell's inputs' full paths, read through rather than copied: a whole-dataset cell has 80,000 of them, and a no-op scans 120,005 cells.</summary>
internal sealed class InputPaths(IReadOnlyList<BoundFile> inputs) : IReadOnlyList<string>
{
    public int Count => inputs.Count;

    public string this[int index] => inputs[index].FullPath;

    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < inputs.Count; i++)
        {
            yield return inputs[i].FullPath;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
