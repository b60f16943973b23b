using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Cairn.Hashing;

// Inputs over 240 bytes: 64-byte stripes accumulated into eight lanes, scrambled after every
// 16-stripe block, then the last 64 bytes of input as a final stripe and a two-way merge.
internal sealed partial class Xxh3Hasher128
{
    private static ContentHash HashLong(ReadOnlySpan<byte> input, Xxh3Path path)
    {
        Debug.Assert(input.Length > MidSizeMax, "short inputs have their own mixes");
        Span<ulong> accumulators = stackalloc ulong[AccumulatorCount];
        InitializeAccumulators(accumulators);
        var stripesInBlock = 0;

        // A stripe is consumed only when at least one byte follows it: the last bytes always
        // end in the final stripe instead, exactly as the streaming form has to do it.
        ConsumeStripes(accumulators, ref stripesInBlock, input, (input.Length - 1) / StripeLength, path);
        Accumulate(accumulators, input[^StripeLength..], LastStripeSecretOffset, 1, path);
        return Merge(accumulators, (ulong)input.Length);
    }

    /// <summary>Accumulates whole stripes in order, scrambling whenever a block fills up.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ConsumeStripes(Span<ulong> accumulators, ref int stripesInBlock, ReadOnlySpan<byte> input, int stripeCount, Xxh3Path path)
    {
        Debug.Assert(input.Length >= stripeCount * StripeLength, "stripes must be in the input");
        while (stripeCount > 0)
        {
            var count = Math.Min(stripeCount, StripesPerBlock - stripesInBlock);
            Accumulate(accumulators, input, stripesInBlock * SecretConsumeRate, count, path);
            input = input[(count * StripeLength)..];
            stripeCount -= count;
            stripesInBlock += count;
            if (stripesInBlock == StripesPerBlock)
            {
                Scramble(accumulators, path);
                stripesInBlock = 0;
            }
        }
    }

    private static void Accumulate(Span<ulong> accumulators, ReadOnlySpan<byte> stripes, int secretOffset, int stripeCount, Xxh3Path path)
    {
        Debug.Assert(accumulators.Length == AccumulatorCount, "eight lanes");
        Debug.Assert(stripes.Length >= stripeCount * StripeLength, "stripes must be in the input");
        Debug.Assert(stripeCount == 0 || secretOffset + ((stripeCount - 1) * SecretConsumeRate) + StripeLength <= SecretLength, "secret window must stay inside the secret");
        switch (path)
        {
            case Xxh3Path.Vector256:
                AccumulateVector256(accumulators, stripes, secretOffset, stripeCount);
                break;
            case Xxh3Path.Vector128:
                AccumulateVector128(accumulators, stripes, secretOffset, stripeCount);
                break;
            default:
                AccumulateScalar(accumulators, stripes, secretOffset, stripeCount);
                break;
        }
    }

    private static void Scramble(Span<ulong> accumulators, Xxh3Path path)
    {
        Debug.Assert(accumulators.Length == AccumulatorCount, "eight lanes");
        switch (path)
        {
            case Xxh3Path.Vector256:
                ScrambleVector256(accumulators);
                break;
            case Xxh3Path.Vector128:
                ScrambleVector128(accumulators);
                break;
            default:
                ScrambleScalar(accumulators);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AccumulateScalar(Span<ulong> accumulators, ReadOnlySpan<byte> stripes, int secretOffset, int stripeCount)
    {
        var secret = Secret;
        for (var s = 0; s < stripeCount; s++)
        {
            var stripe = stripes.Slice(s * StripeLength, StripeLength);
            var key = secret.Slice(secretOffset + (s * SecretConsumeRate), StripeLength);
            for (var lane = 0; lane < AccumulatorCount; lane++)
            {
                var data = Read64(stripe, lane * sizeof(ulong));
                var dataKey = data ^ Read64(key, lane * sizeof(ulong));
                accumulators[lane ^ 1] += data;
                accumulators[lane] += (dataKey & 0xFFFFFFFFUL) * (dataKey >> 32);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScrambleScalar(Span<ulong> accumulators)
    {
        for (var lane = 0; lane < AccumulatorCount; lane++)
        {
            var acc = accumulators[lane];
            acc ^= acc >> 47;
            acc ^= ReadSecret64(ScrambleSecretOffset + (lane * sizeof(ulong)));
            accumulators[lane] = acc * Prime32_1;
        }
    }

    private static ContentHash Merge(ReadOnlySpan<ulong> accumulators, ulong totalLength) =>
        new(
            High: MergeAccumulators(accumulators, MergeHighSecretOffset, ~(totalLength * Prime64_2)),
            Low: MergeAccumulators(accumulators, MergeLowSecretOffset, totalLength * Prime64_1));

    private static ulong MergeAccumulators(ReadOnlySpan<ulong> accumulators, int secretOffset, ulong start)
    {
        var result = start;
        for (var pair = 0; pair < AccumulatorCount / 2; pair++)
        {
            result += MultiplyFold64(
                accumulators[2 * pair] ^ ReadSecret64(secretOffset + (16 * pair)),
                accumulators[(2 * pair) + 1] ^ ReadSecret64(secretOffset + (16 * pair) + 8));
        }

        return Avalanche(result);
    }
}
