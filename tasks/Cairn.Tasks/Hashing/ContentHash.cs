using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Cairn.Hashing;

/// <summary>
/// A 128-bit content digest: XXH3-128 with seed 0 and the default secret, as <c>xxhsum -H2</c> computes it.
/// </summary>
/// <param name="High">The high 64 bits of the digest; printed first.</param>
/// <param name="Low">The low 64 bits of the digest; printed last.</param>
public readonly record struct ContentHash(ulong High, ulong Low)
{
    private const int HexLength = 32;

    /// <summary>
    /// Returns the digest as 32 lowercase hexadecimal digits, high 64 bits first, exactly as
    /// <c>xxhsum -H2</c> prints it.
    /// </summary>
    public override string ToString() => string.Create(HexLength, this, static (chars, hash) => hash.Format(chars));

    /// <summary>Writes the 32 lower-case hexadecimal digits <see cref="ToString"/> gives into the first 32 characters of <paramref name="destination"/>.</summary>
    internal void Format(Span<char> destination)
    {
        High.TryFormat(destination[..16], out _, "x16", CultureInfo.InvariantCulture);
        Low.TryFormat(destination[16..HexLength], out _, "x16", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Parses the form <see cref="ToString"/> writes: exactly 32 hexadecimal digits (either case),
    /// no prefix, no whitespace.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException"><paramref name="text"/> is not 32 hexadecimal digits.</exception>
    public static ContentHash Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var hash))
        {
            throw new FormatException(
                $"'{text}' is not a content hash: expected {HexLength} hexadecimal digits, as `xxhsum -H2` prints them.");
        }

        return hash;
    }

    /// <summary>
    /// Tries to parse the form <see cref="ToString"/> writes: exactly 32 hexadecimal digits (either case),
    /// no prefix, no whitespace.
    /// </summary>
    /// <returns><see langword="true"/> when <paramref name="text"/> was a valid digest.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out ContentHash hash)
    {
        hash = default;
        if (text is null || text.Length != HexLength)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        var span = text.AsSpan();
        hash = new ContentHash(
            ulong.Parse(span[..16], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
            ulong.Parse(span[16..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        return true;
    }
}
