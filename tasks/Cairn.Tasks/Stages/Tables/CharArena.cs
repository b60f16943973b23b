namespace Cairn.Stages.Tables;

/// <summary>
/// Holds the text of a batch's values in a few large char arrays instead of a string per value. A value is a slice
/// of a chunk; a chunk that fills up is left to the slices that use it and a new, twice larger one is started (up to
/// a limit), so no slice ever moves. <see cref="Clear"/> starts the next batch in the current chunk.
/// </summary>
internal sealed class CharArena
{
    // Small, as a batch starts small (TableBatch): a chunk doubles as the text grows.
    private const int FirstChunk = 1 << 10;

    // A batch ends once it holds TextChars chars, after the row that crossed the line: with this much room to spare,
    // that row still fits in the batch's one chunk, so a batch allocates nothing once the chunk has grown.
    private const int LargestChunk = (int)TableBatch.TextChars + (1 << 20);

    private char[] _chunk = new char[FirstChunk];
    private int _used;

    /// <summary>Chars taken since the last <see cref="Clear"/>.</summary>
    public long Used { get; private set; }

    /// <summary>Room for up to <paramref name="length"/> chars; <see cref="Commit"/> then keeps what was written.</summary>
    public Span<char> Reserve(int length)
    {
        if (_chunk.Length - _used < length)
        {
            _chunk = new char[Math.Max(Math.Min(LargestChunk, _chunk.Length * 2), length)];
            _used = 0;
        }

        return _chunk.AsSpan(_used, length);
    }

    /// <summary>
    /// Keeps the first <paramref name="written"/> chars of the last <see cref="Reserve"/> and returns the value at
    /// <paramref name="start"/>, <paramref name="length"/> chars long, within them (a trimmed value).
    /// </summary>
    public ReadOnlyMemory<char> Commit(int written, int start, int length)
    {
        var value = new ReadOnlyMemory<char>(_chunk, _used + start, length);
        _used += written;
        Used += written;
        return value;
    }

    /// <summary>Copies a value in.</summary>
    public ReadOnlyMemory<char> Add(ReadOnlySpan<char> value)
    {
        value.CopyTo(Reserve(value.Length));
        return Commit(value.Length, 0, value.Length);
    }

    public void Clear()
    {
        // Values of the finished batch may still sit in older chunks; only the current one is reused.
        _used = 0;
        Used = 0;
    }
}
