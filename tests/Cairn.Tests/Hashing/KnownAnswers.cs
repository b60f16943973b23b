using System.Globalization;

namespace Cairn.Tests.Hashing;

/// <summary>
/// The committed reference digests (generate-xxh128-known-answers.py) and the input pattern they were made from.
/// </summary>
internal static class KnownAnswers
{
    private static readonly Lazy<IReadOnlyList<KnownAnswer>> Loaded = new(Load);
    private static readonly Lazy<byte[]> LoadedPattern = new(() => CreatePattern(All.Max(a => a.Length)));

    public static IReadOnlyList<KnownAnswer> All => Loaded.Value;

    /// <summary>The pattern long enough for every known answer; the input of length N is its first N bytes.</summary>
    public static byte[] Pattern => LoadedPattern.Value;

    public static byte[] CreatePattern(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(unchecked((uint)i * 2654435761u) >> 24);
        }

        return bytes;
    }

    private static List<KnownAnswer> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Hashing", "xxh128-known-answers.txt");
        var answers = File.ReadLines(path)
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' '))
            .Select(parts => new KnownAnswer(int.Parse(parts[0], CultureInfo.InvariantCulture), parts[1]))
            .ToList();

        // Guards the data file itself: a truncated copy would quietly test less.
        answers.Count.ShouldBe(257 + 18, $"known answers in {path}");
        return answers;
    }
}
