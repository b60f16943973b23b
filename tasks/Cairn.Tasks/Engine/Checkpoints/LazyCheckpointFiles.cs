using System.Collections;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Cairn.Engine.Checkpoints;

/// <summary>
/// A checkpoint's recorded inputs, kept as checked JSON and turned into <see cref="CheckpointFile"/>s only when
/// someone looks at them. An up-to-date decision compares fingerprints and never does; a cell over ten thousand
/// files would otherwise build thirty thousand strings just to be skipped.
/// </summary>
internal sealed class LazyCheckpointFiles : IReadOnlyList<CheckpointFile>
{
    private readonly JsonElement _array;
    private readonly Lazy<List<CheckpointFile>> _files;

    /// <param name="reader">At a JSON array whose items are objects with string <c>property</c>, <c>path</c> and <c>hash</c>.</param>
    /// <exception cref="JsonException">The array is not of that shape.</exception>
    public LazyCheckpointFiles(ref Utf8JsonReader reader)
    {
        CheckShape(reader);
        _array = JsonElement.ParseValue(ref reader);
        _files = new Lazy<List<CheckpointFile>>(Materialize, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public int Count => _array.GetArrayLength();

    public CheckpointFile this[int index] => _files.Value[index];

    public IEnumerator<CheckpointFile> GetEnumerator() => _files.Value.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Walks a copy of the reader over the array: objects with a string <c>property</c>, <c>path</c> and <c>hash</c>, and string fields only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CheckShape(Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"a list of files was expected, not {reader.TokenType}");
        }

        var depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException($"a file entry was expected, not {reader.TokenType}");
            }

            var fields = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                fields |= reader.ValueTextEquals("property"u8) ? 1 : reader.ValueTextEquals("path"u8) ? 2 : reader.ValueTextEquals("hash"u8) ? 4 : 0;
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    throw new JsonException($"a file entry's field is {reader.TokenType}, not a string");
                }
            }

            if (fields != 7)
            {
                throw new JsonException("a file entry lacks its property, path or hash");
            }
        }
    }

    private static string Field(JsonElement item, string name) => item.GetProperty(name).GetString()!;

    private List<CheckpointFile> Materialize()
    {
        var files = new List<CheckpointFile>(_array.GetArrayLength());
        foreach (var item in _array.EnumerateArray())
        {
            files.Add(new CheckpointFile(Field(item, "property"), Field(item, "path"), Field(item, "hash")));
        }

        return files;
    }
}
