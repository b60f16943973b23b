using Cairn.Hashing;

namespace Cairn.Tests.Hashing;

public sealed class ContentHashTests
{
    [Fact]
    public void ToString_prints_high_then_low_as_32_lowercase_hex_digits()
    {
        new ContentHash(0x0123456789ABCDEF, 0xFEDCBA9876543210).ToString().ShouldBe("0123456789abcdeffedcba9876543210");
    }

    [Fact]
    public void ToString_keeps_leading_zeros_of_each_half()
    {
        new ContentHash(1, 2).ToString().ShouldBe("00000000000000010000000000000002");
    }

    [Fact]
    public void Parse_reads_back_every_known_digest()
    {
        foreach (var answer in KnownAnswers.All)
        {
            ContentHash.Parse(answer.Digest).ToString().ShouldBe(answer.Digest);
        }
    }

    [Fact]
    public void Parse_splits_the_digest_into_high_and_low_halves()
    {
        ContentHash.Parse("0123456789abcdeffedcba9876543210").ShouldBe(new ContentHash(0x0123456789ABCDEF, 0xFEDCBA9876543210));
    }

    [Fact]
    public void Parse_accepts_uppercase_digits()
    {
        ContentHash.Parse("0123456789ABCDEFFEDCBA9876543210").ShouldBe(new ContentHash(0x0123456789ABCDEF, 0xFEDCBA9876543210));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0123456789abcdeffedcba987654321")]
    [InlineData("0123456789abcdeffedcba98765432100")]
    [InlineData("0x23456789abcdeffedcba9876543210")]
    [InlineData(" 123456789abcdeffedcba9876543210")]
    [InlineData("0123456789abcdeffedcba987654321 ")]
    [InlineData("0123456789abcdef-edcba9876543210")]
    [InlineData("+123456789abcdeffedcba9876543210")]
    [InlineData("0123456789abcdegfedcba9876543210")]
    [InlineData("0123456789abcdef\uff10edcba9876543210")]
    [InlineData("0123456789abcde:fedcba9876543210")]
    public void Malformed_digests_are_rejected_with_a_message_naming_them(string text)
    {
        ContentHash.TryParse(text, out var parsed).ShouldBeFalse();
        parsed.ShouldBe(default);

        var error = Should.Throw<FormatException>(() => ContentHash.Parse(text));
        error.Message.ShouldBe($"'{text}' is not a content hash: expected 32 hexadecimal digits, as `xxhsum -H2` prints them.");
    }

    [Fact]
    public void Null_is_rejected()
    {
        ContentHash.TryParse(null, out _).ShouldBeFalse();
        Should.Throw<ArgumentNullException>(() => ContentHash.Parse(null!));
    }
}
