using System.Buffers.Binary;
using System.Diagnostics;
using System.Numerics;

namespace Cairn.Hashing;

// Inputs of at most 240 bytes: no stripes, no accumulators; each length band has its own mix.
internal sealed partial class Xxh3Hasher128
{
    private static ContentHash HashShort(ReadOnlySpan<byte> input)
    {
        Debug.Assert(input.Length <= MidSizeMax, "long inputs go through the stripe loop");
        return input.Length switch
        {
            0 => HashEmpty(),
            <= 3 => Hash1To3(input),
            <= 8 => Hash4To8(input),
            <= 16 => Hash9To16(input),
            <= 128 => Hash17To128(input),
            _ => Hash129To240(input),
        };
    }

    private static ContentHash HashEmpty() =>
        new(
            High: AvalancheXxh64(ReadSecret64(80) ^ ReadSecret64(88)),
            Low: AvalancheXxh64(ReadSecret64(64) ^ ReadSecret64(72)));

    private static ContentHash Hash1To3(ReadOnlySpan<byte> input)
    {
        var length = input.Length;
        var combinedLow = input[length - 1]
            | ((uint)length << 8)
            | ((uint)input[0] << 16)
            | ((uint)input[length >> 1] << 24);
        var combinedHigh = BitOperations.RotateLeft(BinaryPrimitives.ReverseEndianness(combinedLow), 13);
        ulong bitflipLow = ReadSecret32(0) ^ ReadSecret32(4);
        ulong bitflipHigh = ReadSecret32(8) ^ ReadSecret32(12);
        return new ContentHash(
            High: AvalancheXxh64(combinedHigh ^ bitflipHigh),
            Low: AvalancheXxh64(combinedLow ^ bitflipLow));
    }

    private static ContentHash Hash4To8(ReadOnlySpan<byte> input)
    {
        var length = input.Length;
        var combined = Read32(input, 0) | ((ulong)Read32(input, length - 4) << 32);
        var keyed = combined ^ (ReadSecret64(16) ^ ReadSecret64(24));
        var high = Math.BigMul(keyed, Prime64_1 + ((ulong)length << 2), out var low);
        high += low << 1;
        low ^= high >> 3;
        low ^= low >> 35;
        low *= PrimeMx2;
        low ^= low >> 28;
        return new ContentHash(High: Avalanche(high), Low: low);
    }

    private static ContentHash Hash9To16(ReadOnlySpan<byte> input)
    {
        var length = input.Length;
        var first = Read64(input, 0);
        var last = Read64(input, length - 8);
        var mixedHigh = Math.BigMul(first ^ last ^ ReadSecret64(32) ^ ReadSecret64(40), Prime64_1, out var mixedLow);
        mixedLow += (ulong)(length - 1) << 54;
        var lastKeyed = last ^ ReadSecret64(48) ^ ReadSecret64(56);

        // The spec's (high32 << 32) + low32 * PRIME32_2, folded into one multiply.
        mixedHigh += lastKeyed + ((uint)lastKeyed * (Prime32_2 - 1));
        mixedLow ^= BinaryPrimitives.ReverseEndianness(mixedHigh);

        var high = Math.BigMul(mixedLow, Prime64_2, out var low);
        high += mixedHigh * Prime64_2;
        return new ContentHash(High: Avalanche(high), Low: Avalanche(low));
    }

    private static ContentHash Hash17To128(ReadOnlySpan<byte> input)
    {
        var length = input.Length;
        var accLow = (ulong)length * Prime64_1;
        var accHigh = 0UL;

        // Pairs 16-byte chunks from the front with chunks from the back, innermost pair first.
        for (var i = ((length - 1) >> 5); i >= 0; i--)
        {
            Mix32(ref accLow, ref accHigh, input.Slice(16 * i, 16), input.Slice(length - (16 * i) - 16, 16), 32 * i);
        }

        return FinishMidSize(accLow, accHigh, length);
    }

    private static ContentHash Hash129To240(ReadOnlySpan<byte> input)
    {
        var length = input.Length;
        var accLow = (ulong)length * Prime64_1;
        var accHigh = 0UL;
        for (var i = 0; i < 4; i++)
        {
            Mix32(ref accLow, ref accHigh, input.Slice(32 * i, 16), input.Slice((32 * i) + 16, 16), 32 * i);
        }

        accLow = Avalanche(accLow);
        accHigh = Avalanche(accHigh);
        for (var i = 4; i < length / 32; i++)
        {
            Mix32(ref accLow, ref accHigh, input.Slice(32 * i, 16), input.Slice((32 * i) + 16, 16), 3 + (32 * (i - 4)));
        }

        Mix32(ref accLow, ref accHigh, input.Slice(length - 16, 16), input.Slice(length - 32, 16), 103);
        return FinishMidSize(accLow, accHigh, length);
    }

    private static void Mix32(ref ulong accLow, ref ulong accHigh, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, int secretOffset)
    {
        accLow += Mix16(first, secretOffset);
        accLow ^= Read64(second, 0) + Read64(second, 8);
        accHigh += Mix16(second, secretOffset + 16);
        accHigh ^= Read64(first, 0) + Read64(first, 8);
    }

    private static ulong Mix16(ReadOnlySpan<byte> chunk, int secretOffset) =>
        MultiplyFold64(Read64(chunk, 0) ^ ReadSecret64(secretOffset), Read64(chunk, 8) ^ ReadSecret64(secretOffset + 8));

    private static ContentHash FinishMidSize(ulong accLow, ulong accHigh, int length)
    {
        var low = accLow + accHigh;
        var high = (accLow * Prime64_1) + (accHigh * Prime64_4) + ((ulong)length * Prime64_2);
        return new ContentHash(High: 0UL - Avalanche(high), Low: Avalanche(low));
    }
}
