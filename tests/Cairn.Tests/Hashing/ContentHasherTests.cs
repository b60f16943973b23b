using System.Collections.Concurrent;
using Cairn.Hashing;
using Cairn.Tests.Support;

namespace Cairn.Tests.Hashing;

public sealed class ContentHasherTests
{
    // Feeding multi-MiB inputs a byte at a time adds nothing the smaller lengths do not already cover.
    private const int LargestLengthForEveryChunking = 100_003;
    private const int LargeInputChunk = 4097;

    [Fact]
    public void HashBytes_matches_xxhsum_for_every_known_length()
    {
        var mismatches = KnownAnswers.All
            .Select(answer => (answer, actual: ContentHasher.HashBytes(KnownAnswers.Pattern.AsSpan(0, answer.Length)).ToString()))
            .Where(r => r.actual != r.answer.Digest)
            .Select(r => $"{r.answer}: expected {r.answer.Digest}, got {r.actual}")
            .ToList();

        mismatches.ShouldBeEmpty();
    }

    [Fact]
    public void HashFile_matches_xxhsum_for_every_known_length()
    {
        using var env = new TestEnvironment();
        var mismatches = new List<string>();
        foreach (var answer in KnownAnswers.All)
        {
            var path = env.WriteBytes($"{answer.Length}.bin", KnownAnswers.Pattern.AsSpan(0, answer.Length).ToArray());
            var actual = ContentHasher.HashFile(path).ToString();
            if (actual != answer.Digest)
            {
                mismatches.Add($"{answer}: expected {answer.Digest}, got {actual}");
            }
        }

        mismatches.ShouldBeEmpty();
    }

    [Fact]
    public void HashFile_streams_files_around_multiples_of_its_read_buffer_to_the_one_shot_digest()
    {
        using var env = new TestEnvironment();
        const int buffer = ContentHasher.ReadBufferLength;
        int[] lengths = [buffer - 1, buffer, buffer + 1, (2 * buffer) - 1, 2 * buffer, (2 * buffer) + 1, (3 * buffer) + 4097];
        var content = KnownAnswers.CreatePattern(lengths.Max());
        var mismatches = new List<string>();
        foreach (var length in lengths)
        {
            var path = env.WriteBytes($"{length}.bin", content[..length]);
            var expected = ContentHasher.HashBytes(content.AsSpan(0, length));
            var actual = ContentHasher.HashFile(path);
            if (actual != expected)
            {
                mismatches.Add($"{length} bytes: one-shot {expected}, file {actual}");
            }
        }

        mismatches.ShouldBeEmpty();
    }

    [Fact]
    public void HashFile_gives_the_same_digests_on_many_threads_at_once()
    {
        using var env = new TestEnvironment();
        var answers = KnownAnswers.All.Where(a => a.Length % 7 == 0 || a.Length > 256).ToList();
        var paths = answers.Select(a => env.WriteBytes($"{a.Length}.bin", KnownAnswers.Pattern.AsSpan(0, a.Length).ToArray())).ToList();
        var mismatches = new ConcurrentBag<string>();

        Parallel.For(0, answers.Count * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var answer = answers[i % answers.Count];
            var actual = ContentHasher.HashFile(paths[i % answers.Count]).ToString();
            if (actual != answer.Digest)
            {
                mismatches.Add($"{answer}: expected {answer.Digest}, got {actual}");
            }
        });

        mismatches.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(255)]
    [InlineData(1024)]
    [InlineData(LargeInputChunk)]
    public void HashStream_fed_in_uneven_reads_matches_xxhsum_for_every_known_length(int chunk)
    {
        var mismatches = new List<string>();
        foreach (var answer in KnownAnswers.All)
        {
            if (answer.Length > LargestLengthForEveryChunking && chunk != LargeInputChunk)
            {
                continue;
            }

            // Alternates the chunk with a chunk one byte longer, so that reads fall on and off the 64-byte stripes.
            var reads = 0;
            using var stream = new ChunkedStream(KnownAnswers.Pattern[..answer.Length], () => chunk + (reads++ % 2));
            var actual = ContentHasher.HashStream(stream).ToString();
            if (actual != answer.Digest)
            {
                mismatches.Add($"{answer} in reads of {chunk} and {chunk + 1} bytes: expected {answer.Digest}, got {actual}");
            }
        }

        mismatches.ShouldBeEmpty();
    }

    [Fact]
    public void HashStream_matches_xxhsum_from_the_current_position_to_the_end()
    {
        var answer = KnownAnswers.All.Single(a => a.Length == 3_333_333);
        var prefix = new byte[] { 1, 2, 3 };
        using var stream = new MemoryStream([.. prefix, .. KnownAnswers.Pattern.AsSpan(0, answer.Length)]);
        stream.Position = prefix.Length;

        ContentHasher.HashStream(stream).ToString().ShouldBe(answer.Digest);
    }

    // Expected digests from `printf '%s' TEXT | xxhsum -H2` on the UTF-8 bytes.
    [Theory]
    [InlineData("", "99aa06d3014798d86001c324468d497f")]
    [InlineData("héllo wörld", "b8151ca4ebc1fd049bfcce6ba24cc967")]
    public void HashString_hashes_the_utf8_bytes_without_a_byte_order_mark(string text, string expected)
    {
        ContentHasher.HashString(text).ToString().ShouldBe(expected);
    }

    [Fact]
    public void HashString_encodes_an_unpaired_surrogate_as_the_replacement_character()
    {
        // Built in code: a lone surrogate does not survive xUnit's serialization of theory data.
        var text = "a" + (char)0xD800 + "b";

        ContentHasher.HashString(text).ToString().ShouldBe("dc54facfa0efca3f3676d7ab9e9a7a45");
    }

    [Fact]
    public void HashString_of_a_string_longer_than_the_stack_limit_matches_xxhsum()
    {
        // 600 x U+00E9 is 1,200 UTF-8 bytes; digest from python3 -c "print('é'*600, end='')" | xxhsum -H2.
        ContentHasher.HashString(new string('é', 600)).ToString().ShouldBe("96eb6ba10edfeba7d96d1358948d8988");
    }

    [Fact]
    public void HashFile_of_a_missing_file_throws_FileNotFoundException_naming_it()
    {
        using var env = new TestEnvironment();
        var path = env.PathOf("missing.bin");

        var error = Should.Throw<FileNotFoundException>(() => ContentHasher.HashFile(path));

        error.Message.ShouldContain(path);
    }
}
