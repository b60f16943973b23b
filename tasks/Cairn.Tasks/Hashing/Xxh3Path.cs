namespace Cairn.Hashing;

/// <summary>
/// Which implementation of the XXH3 stripe accumulate/scramble loop a <see cref="Xxh3Hasher128"/> runs.
/// Every path gives the same digest; tests force each one to prove it.
/// </summary>
internal enum Xxh3Path
{
    Scalar,
    Vector128,
    Vector256,
}
