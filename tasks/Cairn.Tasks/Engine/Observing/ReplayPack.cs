using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace Cairn.Engine.Observing;

/// <summary>
/// Bytes the run log keeps only to write them again: its writer keeps every write of the run until the run ends, so
/// that a log found damaged mid-run is started anew with the run's rows from the start, and that never happens in
/// nearly every run. Kept Brotli-compressed (fastest quality): the rows of 40,000 cells repeat the run, the stage,
/// the reason, the status and the metrics, and their decisions the partitions in order, so a first run at 40,000
/// partitions keeps a few megabytes where its rows and texts were about fifty.
/// </summary>
internal static class ReplayPack
{
    // Fastest: the pack is made once per batch on the run log's own thread, and read back only after a damage.
    private const int Quality = 1;
    private const int Window = 22;

    /// <summary>The bytes compressed, after their length.</summary>
    public static byte[] Pack(ReadOnlySpan<byte> bytes)
    {
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

    /// <summary>The bytes <see cref="Pack"/> was given.</summary>
    public static byte[] Unpack(byte[] packed)
    {
        var bytes = new byte[BinaryPrimitives.ReadInt32LittleEndian(packed)];
        if (!BrotliDecoder.TryDecompress(packed.AsSpan(sizeof(int)), bytes, out var written) || written != bytes.Length)
        {
            throw new InvalidOperationException("The run log's packed rows do not unpack to their length.");
        }

        return bytes;
    }
}
