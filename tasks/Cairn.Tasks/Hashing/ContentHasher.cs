using System.Buffers;
using System.Text;

namespace Cairn.Hashing;

/// <summary>
/// The one place the engine hashes content. Every stored digest comes from here, so the
/// implementation behind it can change (for example to System.IO.Hashing's XxHash128) without
/// any stored hash changing.
/// </summary>
public static class ContentHasher
{
    /// <summary>The name of the digest algorithm, for stored fingerprints: XXH3-128, seed 0, default secret.</summary>
    public const string Algorithm = "xxh3-128";

    private const int MaxReadBufferLength = 1024 * 1024;
    private const int MinReadBufferLength = 4096;
    private const int MaxStackUtf8Length = 1024;

    /// <summary>Hashes a block of bytes.</summary>
    public static ContentHash HashBytes(ReadOnlySpan<byte> content) => Xxh3Hasher128.Hash(content);

    /// <summary>
    /// Hashes the UTF-8 encoding of <paramref name="text"/>, without a byte order mark. Unpaired
    /// surrogates are encoded as U+FFFD, as <see cref="Encoding.UTF8"/> does.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static ContentHash HashString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var length = Encoding.UTF8.GetByteCount(text);
        if (length <= MaxStackUtf8Length)
        {
            Span<byte> bytes = stackalloc byte[length];
            Encoding.UTF8.GetBytes(text, bytes);
            return Xxh3Hasher128.Hash(bytes);
        }

        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(text, rented);
            return Xxh3Hasher128.Hash(rented.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Hashes the content of a file, read sequentially in large chunks.</summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="IOException">The file cannot be read (missing files throw <see cref="FileNotFoundException"/>).</exception>
    public static ContentHash HashFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);

        // The length only sizes the buffer; reading goes on until the end, wherever that turns out to be.
        var bufferLength = (int)Math.Clamp(RandomAccess.GetLength(handle), MinReadBufferLength, MaxReadBufferLength);
        var buffer = ArrayPool<byte>.Shared.Rent(bufferLength);
        try
        {
            var hasher = new Xxh3Hasher128();
            long offset = 0;
            int read;
            while ((read = RandomAccess.Read(handle, buffer, offset)) > 0)
            {
                hasher.Append(buffer.AsSpan(0, read));
                offset += read;
            }

            return hasher.GetCurrentHash();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Hashes a stream from its current position to its end. The stream is left open.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public static ContentHash HashStream(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = ArrayPool<byte>.Shared.Rent(MaxReadBufferLength);
        try
        {
            var hasher = new Xxh3Hasher128();
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                hasher.Append(buffer.AsSpan(0, read));
            }

            return hasher.GetCurrentHash();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
