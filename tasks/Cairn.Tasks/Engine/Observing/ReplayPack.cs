using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace Cairn.Engine.Observing;

/// <summary>
/// Bytes the run log keeps only to write them again: its writer keeps every write of the run until the run ends, so
/// that a log found damaged mid-run is started anew with the run's rows from the start, and that never happens in
/// nearly every run. From <see cref="CompressFrom"/> bytes on they are kept Brotli-compressed (fastest quality): the
/// rows of 40,000 cells repeat the run, the stage, the reason, the status and the metrics, and their decisions the
/// partitions in order, so a first run at 40,000 partitions keeps a few megabytes where its rows and texts were about
/// fifty. Fewer are kept as they are: compressing them saves less than Brotli's code and state cost a run (about 2 MB
/// of a no-op of the sample's 1,461 days, whose largest write is 19 KB).
/// </summary>
internal static class ReplayPack
{
    /// <summary>The least length that is compressed.</summary>
    public const int CompressFrom = 256 * 1024;

    // Fastest: the pack is made once per batch on the run log's own thread, and read back only after a damage.
    private const int Quality = 1;
    private const int Window = 22;

    /// <summary>
    /// The bytes after their length: compressed when there are at least <see cref="CompressFrom"/> of them, as they
    /// are (with the length negated) when fewer.
    /// </summary>
    public static byte[] Pack(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < CompressFrom)
        {
            var stored = new byte[sizeof(int) + bytes.Length];
            BinaryPrimitives.WriteInt32LittleEndian(stored, -bytes.Length - 1);
            bytes.CopyTo(stored.AsSpan(sizeof(int)));
            return stored;
        }

        var bound = BrotliEncoder.GetMaxCompressedLength(bytes.Length);
        var rented = ArrayPool<byte>.Shared.Rent(sizeof(int) + bound);
        try
        {
            BinaryPrimitives.WriteInt32LittleEndian(rented, bytes.Length);
            if (!BrotliEncoder.TryCompress(bytes, rented.AsSpan(sizeof(int), bound), out var written, Quality, Window))
            {
                throw new InvalidOperationException("Brotli could not compress the run log's rows into its own bound.");
            }

            return rented.AsSpan(0, sizeof(int) + written).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Whether <see cref="Pack"/> compressed what it made.</summary>
    public static bool IsCompressed(byte[] packed) => BinaryPrimitives.ReadInt32LittleEndian(packed) >= 0;

    /// <summary>The bytes <see cref="Pack"/> was given.</summary>
    public static byte[] Unpack(byte[] packed)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(packed);
        if (length < 0)
        {
            return packed.AsSpan(sizeof(int), -length - 1).ToArray();
        }

        var bytes = new byte[length];
        if (!BrotliDecoder.TryDecompress(packed.AsSpan(sizeof(int)), bytes, out var written) || written != bytes.Length)
        {
            throw new InvalidOperationException("The run log's packed rows do not unpack to their length.");
        }

        return bytes;
    }
}
