using Cairn.Hashing;

namespace Cairn.Tests.Hashing;

public sealed class Xxh3Hasher128Tests
{
    // Feeding multi-MiB inputs a byte at a time adds nothing the smaller lengths do not already cover.
    private const int LargestLengthForEveryChunking = 100_003;
    private static readonly int[] LargeInputChunkings = [255, 4097];

    // Paths travel as names: xUnit theories are public, Xxh3Path is internal.
    public static TheoryData<string> Paths => new(Enum.GetNames<Xxh3Path>());

    public static TheoryData<string, int> PathsAndChunkings
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var path in Enum.GetNames<Xxh3Path>().Where(name => Xxh3Hasher128.IsSupported(Enum.Parse<Xxh3Path>(name))))
            {
                foreach (var chunk in new[] { 1, 7, 64, 255, 1024, 4097 })
                {
                    data.Add(path, chunk);
                }
            }

            return data;
        }
    }

    [Fact]
    public void One_shot_hash_matches_xxhsum_for_every_known_length()
    {
        var mismatches = KnownAnswers.All
            .Select(answer => (answer, actual: Xxh3Hasher128.Hash(KnownAnswers.Pattern.AsSpan(0, answer.Length)).ToString()))
            .Where(r => r.actual != r.answer.Digest)
            .Select(r => $"{r.answer}: expected {r.answer.Digest}, got {r.actual}")
            .ToList();

        mismatches.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Each_path_gives_the_xxhsum_digest_or_is_refused_on_this_processor(string pathName)
    {
        var path = Enum.Parse<Xxh3Path>(pathName);
        if (!Xxh3Hasher128.IsSupported(path))
        {
            Should.Throw<PlatformNotSupportedException>(() => new Xxh3Hasher128(path));
            return;
        }

        var mismatches = KnownAnswers.All
            .Select(answer => (answer, actual: Xxh3Hasher128.Hash(KnownAnswers.Pattern.AsSpan(0, answer.Length), path).ToString()))
            .Where(r => r.actual != r.answer.Digest)
            .Select(r => $"{r.answer}: expected {r.answer.Digest}, got {r.actual}")
            .ToList();

        mismatches.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(PathsAndChunkings))]
    public void Streaming_in_fixed_chunks_matches_xxhsum(string pathName, int chunk)
    {
        var hasher = new Xxh3Hasher128(Enum.Parse<Xxh3Path>(pathName));
        var mismatches = new List<string>();
        foreach (var answer in KnownAnswers.All)
        {
            if (answer.Length > LargestLengthForEveryChunking && !LargeInputChunkings.Contains(chunk))
            {
                continue;
            }

            hasher.Reset();
            var input = KnownAnswers.Pattern.AsSpan(0, answer.Length);
            for (var offset = 0; offset < input.Length; offset += chunk)
            {
                hasher.Append(input.Slice(offset, Math.Min(chunk, input.Length - offset)));
            }

            var actual = hasher.GetCurrentHash().ToString();
            if (actual != answer.Digest)
            {
                mismatches.Add($"{answer} in {chunk}-byte chunks: expected {answer.Digest}, got {actual}");
            }
        }

        mismatches.ShouldBeEmpty();
    }

    [Fact]
    public void Current_hash_can_be_read_at_every_known_length_while_appending_continues()
    {
        var hasher = new Xxh3Hasher128();
        var appended = 0;
        var mismatches = new List<string>();
        foreach (var answer in KnownAnswers.All.OrderBy(a => a.Length))
        {
            hasher.Append(KnownAnswers.Pattern.AsSpan(appended, answer.Length - appended));
            appended = answer.Length;
            var actual = hasher.GetCurrentHash().ToString();
            if (actual != answer.Digest)
            {
                mismatches.Add($"{answer}: expected {answer.Digest}, got {actual}");
            }
        }

        mismatches.ShouldBeEmpty();
    }

    [Fact]
    public void Reset_forgets_everything_appended_before()
    {
        var answer = KnownAnswers.All.Single(a => a.Length == 2049);
        var hasher = new Xxh3Hasher128();
        hasher.Append(KnownAnswers.CreatePattern(5000).AsSpan(17));

        hasher.Reset();
        hasher.Append(KnownAnswers.Pattern.AsSpan(0, answer.Length));

        hasher.GetCurrentHash().ToString().ShouldBe(answer.Digest);
    }

    [Fact]
    public void A_new_hasher_gives_the_digest_of_empty_input()
    {
        new Xxh3Hasher128().GetCurrentHash().ToString().ShouldBe(KnownAnswers.All.Single(a => a.Length == 0).Digest);
    }
}
