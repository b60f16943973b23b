using Cairn.Hashing;
using Cairn.Tests.Support;

namespace Cairn.Tests.Hashing;

public sealed class ContentHasherTests
{
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
    public void HashStream_matches_xxhsum_from_the_current_position_to_the_end()
    {
        var answer = KnownAnswers.All.Single(a => a.Length == 3_333_333);
        var prefix = new byte[] { 1, 2, 3 };
        using var stream = new MemoryStream([.. prefix, .. KnownAnswers.Pattern.AsSpan(0, answer.Length)]);
        stream.Position = prefix.Length;

        ContentHasher.HashStream(stream).ToString().ShouldBe(answer.Digest);
    }

    [Fact]
    public void HashBytes_matches_xxhsum()
    {
        var answer = KnownAnswers.All.Single(a => a.Length == 1025);

        ContentHasher.HashBytes(KnownAnswers.Pattern.AsSpan(0, answer.Length)).ToString().ShouldBe(answer.Digest);
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
