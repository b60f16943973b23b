using System.Buffers.Binary;

namespace Cairn.Hashing;

internal sealed partial class Xxh3Hasher128
{
    private const ulong Prime32_1 = 0x9E3779B1UL;
    private const ulong Prime32_2 = 0x85EBCA77UL;
    private const ulong Prime32_3 = 0xC2B2AE3DUL;
    private const ulong Prime64_1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime64_2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong Prime64_3 = 0x165667B19E3779F9UL;
    private const ulong Prime64_4 = 0x85EBCA77C2B2AE63UL;
    private const ulong Prime64_5 = 0x27D4EB2F165667C5UL;
    private const ulong PrimeMx1 = 0x165667919E3779F9UL;
    private const ulong PrimeMx2 = 0x9FB21C651E98DF25UL;

    private const int SecretLength = 192;
    private const int StripeLength = 64;
    private const int AccumulatorCount = StripeLength / sizeof(ulong);

    // Each stripe of a block reads the secret 8 bytes further on; the last 64 bytes are the scramble key.
    private const int SecretConsumeRate = 8;
    private const int StripesPerBlock = (SecretLength - StripeLength) / SecretConsumeRate;
    private const int ScrambleSecretOffset = SecretLength - StripeLength;
    private const int LastStripeSecretOffset = SecretLength - StripeLength - 7;
    private const int MergeLowSecretOffset = 11;
    private const int MergeHighSecretOffset = SecretLength - StripeLength - MergeLowSecretOffset;

    private const int MidSizeMax = 240;

    // The default XXH3 secret (kSecret in xxhash.h); with seed 0 it is used unchanged.
    private static ReadOnlySpan<byte> Secret =>
    [
        0xb8, 0xfe, 0x6c, 0x39, 0x23, 0xa4, 0x4b, 0xbe, 0x7c, 0x01, 0x81, 0x2c, 0xf7, 0x21, 0xad, 0x1c,
        0xde, 0xd4, 0x6d, 0xe9, 0x83, 0x90, 0x97, 0xdb, 0x72, 0x40, 0xa4, 0xa4, 0xb7, 0xb3, 0x67, 0x1f,
        0xcb, 0x79, 0xe6, 0x4e, 0xcc, 0xc0, 0xe5, 0x78, 0x82, 0x5a, 0xd0, 0x7d, 0xcc, 0xff, 0x72, 0x21,
        0xb8, 0x08, 0x46, 0x74, 0xf7, 0x43, 0x24, 0x8e, 0xe0, 0x35, 0x90, 0xe6, 0x81, 0x3a, 0x26, 0x4c,
        0x3c, 0x28, 0x52, 0xbb, 0x91, 0xc3, 0x00, 0xcb, 0x88, 0xd0, 0x65, 0x8b, 0x1b, 0x53, 0x2e, 0xa3,
        0x71, 0x64, 0x48, 0x97, 0xa2, 0x0d, 0xf9, 0x4e, 0x38, 0x19, 0xef, 0x46, 0xa9, 0xde, 0xac, 0xd8,
        0xa8, 0xfa, 0x76, 0x3f, 0xe3, 0x9c, 0x34, 0x3f, 0xf9, 0xdc, 0xbb, 0xc7, 0xc7, 0x0b, 0x4f, 0x1d,
        0x8a, 0x51, 0xe0, 0x4b, 0xcd, 0xb4, 0x59, 0x31, 0xc8, 0x9f, 0x7e, 0xc9, 0xd9, 0x78, 0x73, 0x64,
        0xea, 0xc5, 0xac, 0x83, 0x34, 0xd3, 0xeb, 0xc3, 0xc5, 0x81, 0xa0, 0xff, 0xfa, 0x13, 0x63, 0xeb,
        0x17, 0x0d, 0xdd, 0x51, 0xb7, 0xf0, 0xda, 0x49, 0xd3, 0x16, 0x55, 0x26, 0x29, 0xd4, 0x68, 0x9e,
        0x2b, 0x16, 0xbe, 0x58, 0x7d, 0x47, 0xa1, 0xfc, 0x8f, 0xf8, 0xb8, 0xd1, 0x7a, 0xd0, 0x31, 0xce,
        0x45, 0xcb, 0x3a, 0x8f, 0x95, 0x16, 0x04, 0x28, 0xaf, 0xd7, 0xfb, 0xca, 0xbb, 0x4b, 0x40, 0x7e,
    ];

    private static ulong ReadSecret64(int offset) => BinaryPrimitives.ReadUInt64LittleEndian(Secret[offset..]);

    private static uint ReadSecret32(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(Secret[offset..]);

    private static ulong Read64(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(data[offset..]);

    private static uint Read32(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);

    private static ulong MultiplyFold64(ulong left, ulong right)
    {
        var high = Math.BigMul(left, right, out var low);
        return low ^ high;
    }

    private static ulong Avalanche(ulong x)
    {
        x ^= x >> 37;
        x *= PrimeMx1;
        return x ^ (x >> 32);
    }

    private static ulong AvalancheXxh64(ulong x)
    {
        x ^= x >> 33;
        x *= Prime64_2;
        x ^= x >> 29;
        x *= Prime64_3;
        return x ^ (x >> 32);
    }

    private static void InitializeAccumulators(Span<ulong> accumulators)
    {
        accumulators[0] = Prime32_3;
        accumulators[1] = Prime64_1;
        accumulators[2] = Prime64_2;
        accumulators[3] = Prime64_3;
        accumulators[4] = Prime64_4;
        accumulators[5] = Prime32_2;
        accumulators[6] = Prime64_5;
        accumulators[7] = Prime32_1;
    }
}
