using System.Buffers;
using System.IO.Hashing;
using System.Text;
using Cairn.Engine.Workspace;

namespace Cairn.Hashing;

/// <summary>
/// The one place the engine hashes content: XXH3-128 with seed 0, computed by System.IO.Hashing's
/// <see cref="XxHash128"/>. Every stored digest comes from here, so the implementation behind it can change
/// without any stored hash changing.
/// </summary>
public static class ContentHasher
{
    /// <summary>The name of the digest algorithm, for stored fingerprints: XXH3-128, seed 0, default secret.</summary>
    public const string Algorithm = "xxh3-128";

    // What one read asks for. Reading a file costs the kernel's copy out of the page cache, then the hash reads the
    // copy back: 256 KiB stays in a core's L2 cache between the two. 64 KiB to 1 MiB measured within noise of each
    // other on 1 GiB in the page cache (the copy dominates); a memory map saved the copy but paid as much in page
    // faults, and can kill the process with SIGBUS when another one truncates the file. One size for every file: it
    // comes from the shared pool, so hashing a file allocates nothing, and a file shorter than it is hashed in one go.
    internal const int ReadBufferLength = 256 * 1024;
    private const int MaxStackUtf8Length = 1024;

    /// <summary>Hashes a block of bytes.</summary>
    public static ContentHash HashBytes(ReadOnlySpan<byte> content) => From(XxHash128.HashToUInt128(content));

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
            return HashBytes(bytes);
        }

        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(text, rented);
            return HashBytes(rented.AsSpan(0, written));
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
        var rented = ArrayPool<byte>.Shared.Rent(ReadBufferLength);
        try
        {
            // A file shorter than the buffer (nearly every file a pipeline writes per partition) is read whole with open,
            // read and close alone: a file handle adds an fstat, a shared flock and its unlock, and a read-ahead hint,
            // four system calls of the eight it takes (strace -c of a first run). A longer file, and every failure,
            // takes the handle's way below, which also says why a file cannot be read.
            var whole = SmallFiles.TryRead(path, rented.AsSpan(0, ReadBufferLength));
            if (whole >= 0)
            {
                return HashBytes(rented.AsSpan(0, whole));
            }

            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
            // Reading goes on until a read finds the end, wherever that turns out to be: a file that fills the buffer is
            // streamed, and one that shrank since is hashed in one go.
            var buffer = rented.AsSpan(0, ReadBufferLength);
            // System.IO.Hashing ships IL only, so in a fresh process its streaming loop runs unoptimized until tiering
            // promotes it: the first large file a process hashes costs about 0.2 s more than later ones (64 MiB here).
            XxHash128? hasher = null;
            long offset = 0;
            var filled = 0;
            int read;
            while ((read = RandomAccess.Read(handle, buffer[filled..], offset)) > 0)
            {
                offset += read;
                filled += read;
                if (filled == buffer.Length)
                {
                    hasher ??= new XxHash128();
                    hasher.Append(buffer);
                    filled = 0;
                }
            }

            if (hasher is null)
            {
                return HashBytes(buffer[..filled]);
            }

            hasher.Append(buffer[..filled]);
            return From(hasher.GetCurrentHashAsUInt128());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The digest of what <paramref name="hasher"/> (a fresh <see cref="XxHash128"/>, seed 0) was given: what <see cref="HashBytes"/> gives the same bytes whole.</summary>
    internal static ContentHash Digest(XxHash128 hasher) => From(hasher.GetCurrentHashAsUInt128());

    /// <summary>Hashes a stream from its current position to its end. The stream is left open.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    public static ContentHash HashStream(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferLength);
        try
        {
            var hasher = new XxHash128();
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                hasher.Append(buffer.AsSpan(0, read));
            }

            return From(hasher.GetCurrentHashAsUInt128());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // XxHash128's value is the digest as a number: its high 64 bits are the ones xxhsum -H2 prints first.
    private static ContentHash From(UInt128 digest) => new(High: (ulong)(digest >> 64), Low: (ulong)digest);
}
