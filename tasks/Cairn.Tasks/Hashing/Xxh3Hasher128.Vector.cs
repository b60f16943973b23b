using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cairn.Hashing;

// The stripe loop on SIMD registers. Each 64-bit lane does what AccumulateScalar/ScrambleScalar do;
// the 32x32->64 multiplies need pmuludq (SSE2/AVX2), so other processors take the scalar path.
// The loops skip tiered compilation: a single large hash would otherwise run in unoptimized
// tier-0 code, several times slower, before the runtime gets round to recompiling it.
internal sealed partial class Xxh3Hasher128
{
    internal static Xxh3Path DefaultPath { get; } =
        IsSupported(Xxh3Path.Vector256) ? Xxh3Path.Vector256
        : IsSupported(Xxh3Path.Vector128) ? Xxh3Path.Vector128
        : Xxh3Path.Scalar;

    internal static bool IsSupported(Xxh3Path path) => path switch
    {
        Xxh3Path.Scalar => true,
        Xxh3Path.Vector128 => Vector128.IsHardwareAccelerated && Sse2.IsSupported,
        Xxh3Path.Vector256 => Vector256.IsHardwareAccelerated && Avx2.IsSupported,
        _ => false,
    };

    private static void ThrowIfUnsupported(Xxh3Path path)
    {
        if (!IsSupported(path))
        {
            throw new PlatformNotSupportedException($"The {path} XXH3 path is not supported on this processor.");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateVector256(Span<ulong> accumulators, ReadOnlySpan<byte> stripes, int secretOffset, int stripeCount)
    {
        ref var acc = ref MemoryMarshal.GetReference(accumulators);
        ref var data = ref MemoryMarshal.GetReference(stripes);
        ref var key = ref Unsafe.Add(ref MemoryMarshal.GetReference(Secret), secretOffset);
        var acc0 = Vector256.LoadUnsafe(ref acc);
        var acc1 = Vector256.LoadUnsafe(ref acc, 4);
        for (nuint s = 0; s < (nuint)stripeCount; s++)
        {
            var dataOffset = s * StripeLength;
            var keyOffset = s * SecretConsumeRate;
            acc0 = AccumulateLanes(acc0, Vector256.LoadUnsafe(ref data, dataOffset).AsUInt64(), Vector256.LoadUnsafe(ref key, keyOffset).AsUInt64());
            acc1 = AccumulateLanes(acc1, Vector256.LoadUnsafe(ref data, dataOffset + 32).AsUInt64(), Vector256.LoadUnsafe(ref key, keyOffset + 32).AsUInt64());
        }

        acc0.StoreUnsafe(ref acc);
        acc1.StoreUnsafe(ref acc, 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScrambleVector256(Span<ulong> accumulators)
    {
        ref var acc = ref MemoryMarshal.GetReference(accumulators);
        ref var key = ref Unsafe.Add(ref MemoryMarshal.GetReference(Secret), ScrambleSecretOffset);
        ScrambleLanes(Vector256.LoadUnsafe(ref acc), Vector256.LoadUnsafe(ref key).AsUInt64()).StoreUnsafe(ref acc);
        ScrambleLanes(Vector256.LoadUnsafe(ref acc, 4), Vector256.LoadUnsafe(ref key, 32).AsUInt64()).StoreUnsafe(ref acc, 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> AccumulateLanes(Vector256<ulong> acc, Vector256<ulong> data, Vector256<ulong> key)
    {
        var dataKey = data ^ key;
        var product = Avx2.Multiply(dataKey.AsUInt32(), Vector256.ShiftRightLogical(dataKey, 32).AsUInt32());
        var swapped = Vector256.Shuffle(data, Vector256.Create(1UL, 0, 3, 2));
        return acc + swapped + product;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> ScrambleLanes(Vector256<ulong> acc, Vector256<ulong> key)
    {
        acc ^= Vector256.ShiftRightLogical(acc, 47);
        acc ^= key;
        var prime = Vector256.Create((uint)Prime32_1);
        var low = Avx2.Multiply(acc.AsUInt32(), prime);
        var high = Avx2.Multiply(Vector256.ShiftRightLogical(acc, 32).AsUInt32(), prime);
        return low + Vector256.ShiftLeft(high, 32);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateVector128(Span<ulong> accumulators, ReadOnlySpan<byte> stripes, int secretOffset, int stripeCount)
    {
        ref var acc = ref MemoryMarshal.GetReference(accumulators);
        ref var data = ref MemoryMarshal.GetReference(stripes);
        ref var key = ref Unsafe.Add(ref MemoryMarshal.GetReference(Secret), secretOffset);
        var acc0 = Vector128.LoadUnsafe(ref acc);
        var acc1 = Vector128.LoadUnsafe(ref acc, 2);
        var acc2 = Vector128.LoadUnsafe(ref acc, 4);
        var acc3 = Vector128.LoadUnsafe(ref acc, 6);
        for (nuint s = 0; s < (nuint)stripeCount; s++)
        {
            var dataOffset = s * StripeLength;
            var keyOffset = s * SecretConsumeRate;
            acc0 = AccumulateLanes(acc0, Vector128.LoadUnsafe(ref data, dataOffset).AsUInt64(), Vector128.LoadUnsafe(ref key, keyOffset).AsUInt64());
            acc1 = AccumulateLanes(acc1, Vector128.LoadUnsafe(ref data, dataOffset + 16).AsUInt64(), Vector128.LoadUnsafe(ref key, keyOffset + 16).AsUInt64());
            acc2 = AccumulateLanes(acc2, Vector128.LoadUnsafe(ref data, dataOffset + 32).AsUInt64(), Vector128.LoadUnsafe(ref key, keyOffset + 32).AsUInt64());
            acc3 = AccumulateLanes(acc3, Vector128.LoadUnsafe(ref data, dataOffset + 48).AsUInt64(), Vector128.LoadUnsafe(ref key, keyOffset + 48).AsUInt64());
        }

        acc0.StoreUnsafe(ref acc);
        acc1.StoreUnsafe(ref acc, 2);
        acc2.StoreUnsafe(ref acc, 4);
        acc3.StoreUnsafe(ref acc, 6);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScrambleVector128(Span<ulong> accumulators)
    {
        ref var acc = ref MemoryMarshal.GetReference(accumulators);
        ref var key = ref Unsafe.Add(ref MemoryMarshal.GetReference(Secret), ScrambleSecretOffset);
        for (nuint lane = 0; lane < AccumulatorCount; lane += 2)
        {
            ScrambleLanes(Vector128.LoadUnsafe(ref acc, lane), Vector128.LoadUnsafe(ref key, lane * sizeof(ulong)).AsUInt64()).StoreUnsafe(ref acc, lane);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> AccumulateLanes(Vector128<ulong> acc, Vector128<ulong> data, Vector128<ulong> key)
    {
        var dataKey = data ^ key;
        var product = Sse2.Multiply(dataKey.AsUInt32(), Vector128.ShiftRightLogical(dataKey, 32).AsUInt32());
        var swapped = Vector128.Shuffle(data, Vector128.Create(1UL, 0));
        return acc + swapped + product;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> ScrambleLanes(Vector128<ulong> acc, Vector128<ulong> key)
    {
        acc ^= Vector128.ShiftRightLogical(acc, 47);
        acc ^= key;
        var prime = Vector128.Create((uint)Prime32_1);
        var low = Sse2.Multiply(acc.AsUInt32(), prime);
        var high = Sse2.Multiply(Vector128.ShiftRightLogical(acc, 32).AsUInt32(), prime);
        return low + Vector128.ShiftLeft(high, 32);
    }
}
