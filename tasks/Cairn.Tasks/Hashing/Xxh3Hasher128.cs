namespace Cairn.Hashing;

/// <summary>
/// XXH3-128 with seed 0 and the default secret: the digest <c>xxhsum -H2</c> prints and
/// System.IO.Hashing's XxHash128 computes, one-shot or streamed in chunks of any size.
/// </summary>
/// <remarks>
/// Follows the xxHash specification (doc/xxhash_spec.md in Cyan4973/xxHash). Use it through
/// <see cref="ContentHasher"/>, which keeps the choice of implementation in one place.
/// </remarks>
internal sealed partial class Xxh3Hasher128
{
    // Four stripes, like the reference's internal buffer. It needs at least two, so that buffered input
    // (at most one stripe after a direct consume) never overlaps the last consumed stripe kept at the end.
    private const int BufferLength = 4 * StripeLength;

    private readonly ulong[] _accumulators = new ulong[AccumulatorCount];

    // Holds input not yet consumed at the front; the last 64 bytes hold the last stripe consumed,
    // which the final stripe needs when fewer than 64 bytes are buffered.
    private readonly byte[] _buffer = new byte[BufferLength];
    private readonly Xxh3Path _path;
    private int _bufferedLength;
    private int _stripesInBlock;
    private ulong _totalLength;

    public Xxh3Hasher128()
        : this(DefaultPath)
    {
    }

    internal Xxh3Hasher128(Xxh3Path path)
    {
        ThrowIfUnsupported(path);
        _path = path;
        Reset();
    }

    public static ContentHash Hash(ReadOnlySpan<byte> input) => Hash(input, DefaultPath);

    internal static ContentHash Hash(ReadOnlySpan<byte> input, Xxh3Path path)
    {
        ThrowIfUnsupported(path);
        return input.Length <= MidSizeMax ? HashShort(input) : HashLong(input, path);
    }

    public void Reset()
    {
        InitializeAccumulators(_accumulators);
        _bufferedLength = 0;
        _stripesInBlock = 0;
        _totalLength = 0;
    }

    public void Append(ReadOnlySpan<byte> input)
    {
        _totalLength += (ulong)input.Length;
        if (input.Length <= BufferLength - _bufferedLength)
        {
            input.CopyTo(_buffer.AsSpan(_bufferedLength));
            _bufferedLength += input.Length;
            return;
        }

        // More input follows the buffer now, so every stripe in it may be consumed.
        if (_bufferedLength > 0)
        {
            var fill = BufferLength - _bufferedLength;
            input[..fill].CopyTo(_buffer.AsSpan(_bufferedLength));
            input = input[fill..];
            ConsumeStripes(_accumulators, ref _stripesInBlock, _buffer, BufferLength / StripeLength, _path);
            _bufferedLength = 0;
        }

        if (input.Length > StripeLength)
        {
            var stripes = (input.Length - 1) / StripeLength;
            var consumed = stripes * StripeLength;
            ConsumeStripes(_accumulators, ref _stripesInBlock, input, stripes, _path);
            input.Slice(consumed - StripeLength, StripeLength).CopyTo(_buffer.AsSpan(BufferLength - StripeLength));
            input = input[consumed..];
        }

        input.CopyTo(_buffer);
        _bufferedLength = input.Length;
    }

    /// <summary>The digest of everything appended since the last reset; appending may continue afterwards.</summary>
    public ContentHash GetCurrentHash()
    {
        if (_totalLength <= MidSizeMax)
        {
            return HashShort(_buffer.AsSpan(0, _bufferedLength));
        }

        Span<ulong> accumulators = stackalloc ulong[AccumulatorCount];
        _accumulators.CopyTo(accumulators);
        var stripesInBlock = _stripesInBlock;
        Span<byte> lastStripe = stackalloc byte[StripeLength];
        if (_bufferedLength >= StripeLength)
        {
            ConsumeStripes(accumulators, ref stripesInBlock, _buffer, (_bufferedLength - 1) / StripeLength, _path);
            _buffer.AsSpan(_bufferedLength - StripeLength, StripeLength).CopyTo(lastStripe);
        }
        else
        {
            var fromConsumed = StripeLength - _bufferedLength;
            _buffer.AsSpan(BufferLength - fromConsumed, fromConsumed).CopyTo(lastStripe);
            _buffer.AsSpan(0, _bufferedLength).CopyTo(lastStripe[fromConsumed..]);
        }

        Accumulate(accumulators, lastStripe, LastStripeSecretOffset, 1, _path);
        return Merge(accumulators, _totalLength);
    }
}
