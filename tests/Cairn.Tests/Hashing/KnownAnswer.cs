namespace Cairn.Tests.Hashing;

/// <summary>One line of xxh128-known-answers.txt: the <c>xxhsum -H2</c> digest of the first <see cref="Length"/> pattern bytes.</summary>
internal sealed record KnownAnswer(int Length, string Digest)
{
    public override string ToString() => $"{Length} bytes";
}
