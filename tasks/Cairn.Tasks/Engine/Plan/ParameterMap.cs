using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Cairn.Engine.Plan;

/// <summary>
/// A cell's parameters by name over two arrays: the names in ordinal order, made once for the stage and shared by its
/// cells (<see cref="StageTemplates"/>), and this cell's values in the same order. A run holds the decisions of every
/// cell of the stage it runs until the stage ends (40,000 at 40,000 partitions): a Dictionary and a SortedList per
/// cell, with their arrays, were about 330 bytes of each, where this is 64 for each of the two.
/// </summary>
internal sealed class ParameterMap<TValue> : IReadOnlyDictionary<string, TValue>
{
    private readonly string[] _names;
    private readonly TValue[] _values;

    /// <param name="names">The names in ordinal order, each once; shared, never changed.</param>
    /// <param name="values">The values in the order of <paramref name="names"/>; kept, not copied.</param>
    public ParameterMap(string[] names, TValue[] values)
    {
        if (names.Length != values.Length)
        {
            throw new ArgumentException($"{values.Length} values for {names.Length} names.", nameof(values));
        }

        _names = names;
        _values = values;
    }

    public int Count => _names.Length;

    public IEnumerable<string> Keys => _names;

    public IEnumerable<TValue> Values => _values;

    public TValue this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No parameter '{key}'.");

    /// <summary>The name at <paramref name="index"/>, in ordinal order.</summary>
    public string NameAt(int index) => _names[index];

    /// <summary>The value of the name at <paramref name="index"/>.</summary>
    public TValue ValueAt(int index) => _values[index];

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? _values[index] : default;
        return index >= 0;
    }

    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator()
    {
        for (var i = 0; i < _names.Length; i++)
        {
            yield return new KeyValuePair<string, TValue>(_names[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(string key) => Array.BinarySearch(_names, key, StringComparer.Ordinal);
}
