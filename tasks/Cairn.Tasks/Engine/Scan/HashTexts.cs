using System.Collections;
using Cairn.Hashing;

namespace Cairn.Engine.Scan;

/// <summary>
/// A cell's input hashes as the text checkpoints and causes carry, made when one is asked for. Every decision keeps
/// its inputs' hashes this way, 16 bytes each rather than a 32-digit string: a run holds every decision of the stage
/// it runs (40,000 at 40,000 partitions), nothing reads a skipped cell's hashes as text, and a cell that runs reads
/// each about once (its checkpoint).
/// </summary>
internal sealed class HashTexts : IReadOnlyList<string>
{
    private readonly ContentHash[] _hashes;

    public HashTexts(ContentHash[] hashes)
    {
        _hashes = hashes;
    }

    public int Count => _hashes.Length;

    public string this[int index] => _hashes[index].ToString();

    public IEnumerator<string> GetEnumerator()
    {
        foreach (var hash in _hashes)
        {
            yield return hash.ToString();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
