using System.Collections;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Cairn.Engine.Checkpoints;

/// <summary>
/// A checkpoint's recorded inputs, kept as their checked JSON text and turned into <see cref="CheckpointFile"/>s only
/// when someone looks at them. An up-to-date decision compares fingerprints and never does; a cell over ten thousand
/// files would otherwise build thirty thousand strings just to be skipped.
/// </summary>
internal sealed class LazyCheckpointFiles : IReadOnlyList<CheckpointFile>
{
    private readonly ReadOnlyMemory<byte> _json;
    private readonly Lazy<List<CheckpointFile>> _files;

    private LazyCheckpointFiles(ReadOnlyMemory<byte> json, int count)
    {
        _json = json;
        Count = count;
        _files = new Lazy<List<CheckpointFile>>(Materialize, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public int Count { get; }

    public CheckpointFile this[int index] => _files.Value[index];

    /// <summary>The array the reader is at, checked and kept; the reader is left at its end.</summary>
    /// <param name="reader">At a JSON array whose items are objects with string <c>property</c>, <c>path</c> and <c>hash</c>.</param>
    /// <exception cref="JsonException">The array is not of that shape.</exception>
    public static LazyCheckpointFiles Read(ref Utf8JsonReader reader)
    {
        using var array = JsonDocument.ParseValue(ref reader);
        var json = Encoding.UTF8.GetBytes(array.RootElement.GetRawText());
        var shape = new Utf8JsonReader(json);
        shape.Read();
        return Shape(ref shape) is { } problem ? throw new JsonException(problem) : new LazyCheckpointFiles(json, array.RootElement.GetArrayLength());
    }

    /// <summary>
    /// The array at <paramref name="reader"/> over the whole of <paramref name="text"/>, checked and kept; the reader
    /// is left at its end. Null when it is not of the shape <see cref="Read"/> takes.
    /// </summary>
    /// <param name="reader">At the array, over <paramref name="text"/>.</param>
    /// <param name="text">The whole checkpoint.</param>
    /// <param name="owner">
    /// The array <paramref name="text"/> is the whole of, when nothing else writes it: the files are kept as a slice of
    /// it, not copied. A whole-dataset cell's checkpoint lists every input (12 MB for 80,000 of them at 40,000
    /// partitions), and a copy of that list was made for each such cell a no-op skips. Null for a borrowed buffer.
    /// </param>
    public static LazyCheckpointFiles? TryRead(ref Utf8JsonReader reader, ReadOnlySpan<byte> text, byte[]? owner = null)
    {
        var start = (int)reader.TokenStartIndex;
        var count = 0;
        if (Shape(ref reader, ref count) is not null)
        {
            return null;
        }

        var end = (int)reader.BytesConsumed;
        return new LazyCheckpointFiles(owner is not null ? owner.AsMemory(start, end - start) : text[start..end].ToArray(), count);
    }

    public IEnumerator<CheckpointFile> GetEnumerator() => _files.Value.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static string? Shape(ref Utf8JsonReader reader)
    {
        var count = 0;
        return Shape(ref reader, ref count);
    }

    /// <summary>Walks the reader over the array: objects with a string <c>property</c>, <c>path</c> and <c>hash</c>, and string fields only.</summary>
    /// <returns>What is wrong with the array, or null when it is of that shape.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? Shape(ref Utf8JsonReader reader, ref int count)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return $"a list of files was expected, not {reader.TokenType}";
        }

        var depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return $"a file entry was expected, not {reader.TokenType}";
            }

            var fields = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                fields |= reader.ValueTextEquals("property"u8) ? 1 : reader.ValueTextEquals("path"u8) ? 2 : reader.ValueTextEquals("hash"u8) ? 4 : 0;
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return $"a file entry's field is {reader.TokenType}, not a string";
                }
            }

            if (fields != 7)
            {
                return "a file entry lacks its property, path or hash";
            }

            count++;
        }

        return null;
    }

    private List<CheckpointFile> Materialize()
    {
        var files = new List<CheckpointFile>(Count);
        var reader = new Utf8JsonReader(_json.Span);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? property = null, path = null, hash = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueTextEquals("property"u8) ? 1 : reader.ValueTextEquals("path"u8) ? 2 : reader.ValueTextEquals("hash"u8) ? 3 : 0;
                reader.Read();
                switch (name)
                {
                    case 1: property = reader.GetString(); break;
                    case 2: path = reader.GetString(); break;
                    case 3: hash = reader.GetString(); break;
                }
            }

            files.Add(new CheckpointFile(property!, path!, hash!));
        }

        return files;
    }
}
