using System.Text;
using Cairn.Hashing;

namespace Cairn.Tests.Hashing;

/// <summary>
/// A fingerprint's canonical text is hashed as it is written (<see cref="TextHasher"/>), never built whole: the digest
/// must be the one <see cref="ContentHasher.HashString"/> gives the whole text, or every stored fingerprint would change.
/// </summary>
public sealed class TextHasherTests
{
    [Theory]
    [InlineData("")]
    [InlineData("cairn-cell 1\nstage Ingest\n")]
    [InlineData("é\U0001F600 \uD800 lone high, lone low \uDC00 end")]
    public void A_text_hashed_in_pieces_has_the_digest_of_the_whole_text(string text)
    {
        var hasher = new TextHasher();
        foreach (var piece in text)
        {
            hasher.Append(piece);
        }

        hasher.Finish().ShouldBe(ContentHasher.HashString(text));
    }

    [Fact]
    public void A_text_of_many_chunks_with_pairs_split_at_every_boundary_has_the_digest_of_the_whole_text()
    {
        // Lines of odd lengths, with multi-byte characters and surrogate pairs, so that pieces, chunks and pairs cross
        // each other's boundaries everywhere over 80,000 lines (a whole-dataset cell's inputs).
        var whole = new StringBuilder();
        var hasher = new TextHasher();
        for (var i = 0; i < 80_000; i++)
        {
            var line = $"input Profiles data/profiles/date={i:D5}/profilé-\U0001F600{new string('x', i % 7)}.json {i:x32}\n";
            whole.Append(line);
            var cut = i % (line.Length - 1);
            hasher.Append(line[..cut]).Append(line[cut..]);
        }

        hasher.Finish().ShouldBe(ContentHasher.HashString(whole.ToString()));
    }

    [Fact]
    public void A_finished_hasher_hashes_the_next_text_alone()
    {
        var hasher = new TextHasher();
        hasher.Append(new string('é', 5000)).Append("\uD83D").Finish();

        hasher.Append("\uDE00 next").Finish().ShouldBe(ContentHasher.HashString("\uDE00 next"));
    }

    [Fact]
    public void A_text_left_unfinished_on_a_thread_is_dropped_when_the_thread_hashes_again()
    {
        // A fingerprint that threw halfway leaves its text in the thread's hasher; the next cell's must not start with it.
        TextHasher.ForThisThread().Append(new string('x', 6000)).Append("\uD83D");

        TextHasher.ForThisThread().Append("cairn-cell 1\n").Finish().ShouldBe(ContentHasher.HashString("cairn-cell 1\n"));
    }

    [Fact]
    public void A_hash_appended_as_such_is_hashed_as_its_text_at_every_place_in_a_chunk()
    {
        // Each hash lands at another offset of the 4,096-character chunk, so that some cross its end; a pending high
        // surrogate before one is completed, as in the text, by nothing.
        var whole = new StringBuilder("\uD83D");
        var hasher = new TextHasher().Append("\uD83D");
        for (var i = 0; i < 1_000; i++)
        {
            var hash = new ContentHash((ulong)i * 0x9E3779B97F4A7C15UL, ulong.MaxValue - (ulong)i);
            var filler = new string('é', i % 37);
            whole.Append(filler).Append(hash.ToString());
            hasher.Append(filler).Append(hash);
        }

        hasher.Finish().ShouldBe(ContentHasher.HashString(whole.ToString()));
        new ContentHash(0, 0x0AUL).ToString().ShouldBe("0000000000000000000000000000000a");
    }
}
