using System.Text;
using System.Text.Json;
using Cairn.Engine.Checkpoints;
using Cairn.Tests.Support;

namespace Cairn.Tests.Engine;

/// <summary>
/// The hand-written reader a no-op reads every checkpoint with: what it takes it reads exactly as the serializer does,
/// and anything not of the shape Cairn writes it leaves to the serializer, whose answer and message stay what they were.
/// </summary>
public sealed class CheckpointReaderTests
{
    private static readonly Checkpoint Written = new()
    {
        Stage = "Clean",
        Partition = "2012-01-01",
        Fingerprint = "73a69ed17ef672bd576854343941db4d",
        HashAlgorithm = "xxh3-128",
        CodeVersion = "090a03c1e65de749f6e2d73bbd8025c2",
        Inputs =
        [
            new CheckpointFile("Contract", "$pipeline/config/contract.yaml", "8e65a6b20fccea959047c1f6ceced0d6"),
            new CheckpointFile("Input", "data/ingested/date=2012-01-01/weather \"é\".csv", "d512f9464a665c98844e056d040e6174"),
        ],
        Outputs =
        [
            new CheckpointFile("Features", "data/features/date=2012-01-01/features.csv", "ed35c15ae4ae3cf9a4731ab7cd5c831d"),
            new CheckpointFile("Report", "reports/all/", "directory"),
        ],
        Parameters = new Dictionary<string, string> { ["Partition"] = "2012-01-01", ["Threshold"] = "0.5\n+1" },
        Metrics = new Dictionary<string, double> { ["RowsIn"] = 1, ["Auc"] = 0.8731 },
        Attempts = 2,
        RunId = "20261204T152719Z-6816-9851",
        Environment = "local",
        StartedAt = new DateTimeOffset(2026, 12, 4, 15, 27, 59, 913, TimeSpan.Zero).AddTicks(9977),
        FinishedAt = new DateTimeOffset(2026, 12, 4, 16, 27, 59, 936, TimeSpan.FromHours(1)),
        DurationMs = 22.985,
        ToolVersion = "0.1.0+316c5cc89cf09f656788d20d92543abddb650c48",
        ContractVersion = "8e65a6b20fccea959047c1f6ceced0d6",
        PassedByReview = "review-1",
    };

    [Fact]
    public void A_checkpoint_as_the_store_writes_it_reads_as_the_serializer_reads_it()
    {
        using var env = new TestEnvironment();
        var store = new CheckpointStore(env.CreateFolder("ws/checkpoints"));
        store.Write(Written);
        var text = File.ReadAllBytes(store.PathOf("Clean", "2012-01-01"));

        var read = CheckpointReader.TryRead(text, "Clean", "2012-01-01", new RecentStrings());

        read.ShouldNotBeNull();
        Json(read).ShouldBe(Json(Serializer(text)));
        Json(read).ShouldBe(Json(Written));
        read.Inputs.Count.ShouldBe(2);
        read.Inputs[1].Path.ShouldBe("data/ingested/date=2012-01-01/weather \"é\".csv");
        store.Read("Clean", "2012-01-01").Checkpoint.ShouldNotBeNull().Fingerprint.ShouldBe(Written.Fingerprint);
    }

    [Fact]
    public void A_checkpoint_read_from_an_array_it_may_keep_reads_its_inputs_from_that_array_as_from_a_copy()
    {
        using var env = new TestEnvironment();
        var store = new CheckpointStore(env.CreateFolder("ws/checkpoints"));
        store.Write(Written);
        var text = File.ReadAllBytes(store.PathOf("Clean", "2012-01-01"));

        var kept = CheckpointReader.TryRead(text, "Clean", "2012-01-01", new RecentStrings(), owner: text).ShouldNotBeNull();
        var copied = CheckpointReader.TryRead(text, "Clean", "2012-01-01", new RecentStrings()).ShouldNotBeNull();

        Json(kept).ShouldBe(Json(copied));
        kept.Inputs.Select(i => (i.Property, i.Path, i.Hash)).ShouldBe(Written.Inputs.Select(i => (i.Property, i.Path, i.Hash)));
    }

    [Theory]
    [InlineData("fields in another order, spaced out, nulls where they may be")]
    [InlineData("no field that may be left out")]
    public void Other_json_of_the_same_shape_reads_as_the_serializer_reads_it(string variant)
    {
        var text = variant.StartsWith("fields", StringComparison.Ordinal)
            ? """
              {  "toolVersion" : "t", "stage":"Clean", "partition": null, "fingerprint":"f", "hashAlgorithm":"xxh3-128", "codeVersion":"c",
                 "outputs":[ ], "inputs":[{"hash":"h","path":"a\u002Fb","property":"P"}], "metrics":{}, "parameters":{"A":"\u00e9"},
                 "runId":"r", "environment":"local", "startedAt":"2026-12-04T15:27:59Z", "finishedAt":"2026-12-04T15:28:00.5+02:00",
                 "durationMs":1e3, "restored":null, "contractVersion":null, "passedByReview":null, "format":1, "attempts":3 }
              """
            : """{"format":1,"attempts":1,"stage":"Clean","fingerprint":"f","hashAlgorithm":"x","codeVersion":"c","inputs":[],"outputs":[],"parameters":{},"metrics":{},"runId":"r","environment":"e","startedAt":"2026-12-04T15:27:59Z","finishedAt":"2026-12-04T15:27:59Z","durationMs":0,"toolVersion":"t"}""";
        var bytes = Encoding.UTF8.GetBytes(text);

        var read = CheckpointReader.TryRead(bytes, "Clean", null, new RecentStrings());

        read.ShouldNotBeNull(variant);
        Json(read).ShouldBe(Json(Serializer(bytes)));
    }

    [Theory]
    [InlineData("\"format\": 1,", "\"format\": \"1\",")]
    [InlineData("\"format\": 1,", "\"format\": 1.5,")]
    [InlineData("\"format\": 1,", "\"format\": 1, \"format\": 1,")]
    [InlineData("\"format\": 1,", "\"format\": 1, \"extra\": 1,")]
    [InlineData("\"format\": 1,", "\"Format\": 1,")]
    [InlineData("\"format\": 1,", "")]
    [InlineData("\"attempts\": 2,", "")]
    [InlineData("\"fingerprint\": \"73a69ed17ef672bd576854343941db4d\",", "\"fingerprint\": null,")]
    [InlineData("\"fingerprint\": \"73a69ed17ef672bd576854343941db4d\",", "")]
    [InlineData("\"runId\": \"20261204T152719Z-6816-9851\",", "\"runId\": 7,")]
    [InlineData("\"Partition\": \"2012-01-01\",", "\"Partition\": null,")]
    [InlineData("\"Partition\": \"2012-01-01\",", "\"Partition\": \"2012-01-01\", \"Partition\": \"x\",")]
    [InlineData("\"RowsIn\": 1,", "\"RowsIn\": \"1\",")]
    [InlineData("\"hash\": \"ed35c15ae4ae3cf9a4731ab7cd5c831d\"", "\"hash\": \"ed35c15ae4ae3cf9a4731ab7cd5c831d\", \"size\": 3")]
    [InlineData("\"hash\": \"ed35c15ae4ae3cf9a4731ab7cd5c831d\"", "\"hash\": null")]
    [InlineData("\"hash\": \"8e65a6b20fccea959047c1f6ceced0d6\"", "\"hash\": 1")]
    [InlineData("\"startedAt\": \"2026-12-04T15:27:59.9139977+00:00\"", "\"startedAt\": \"yesterday\"")]
    [InlineData("\"durationMs\": 22.985,", "\"durationMs\": 22.985,,")]
    [InlineData("\"outputs\": [", "\"outputs\": [ 1, ")]
    public void A_checkpoint_not_of_the_written_shape_is_left_to_the_serializer(string written, string changed)
    {
        var bytes = WrittenWith(written, changed);

        CheckpointReader.TryRead(bytes, "Clean", "2012-01-01", new RecentStrings()).ShouldBeNull();
    }

    [Theory]
    [InlineData(" x")]
    [InlineData(" {}")]
    [InlineData("\n// a comment\n")]
    public void Anything_after_the_checkpoint_but_white_space_is_left_to_the_serializer(string after)
    {
        var bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(WrittenBytes()) + after);

        CheckpointReader.TryRead(bytes, "Clean", "2012-01-01", new RecentStrings()).ShouldBeNull();
        Should.Throw<JsonException>(() => Serializer(bytes));
    }

    [Theory]
    [InlineData("\"runId\": \"20261204T152719Z-6816-9851\"", "\"runId\": \"\\ud800\"")]
    [InlineData("\"fingerprint\": \"73a69ed17ef672bd576854343941db4d\"", "\"fingerprint\": \"\\udc00x\"")]
    public void A_string_that_is_not_text_is_left_to_the_serializer(string written, string changed)
    {
        var escaped = WrittenWith(written, changed);
        var invalid = WrittenBytes();
        invalid[Encoding.UTF8.GetString(invalid).IndexOf("20261204T", StringComparison.Ordinal)] = 0xC3;

        CheckpointReader.TryRead(escaped, "Clean", "2012-01-01", new RecentStrings()).ShouldBeNull();
        CheckpointReader.TryRead(invalid, "Clean", "2012-01-01", new RecentStrings()).ShouldBeNull();
    }

    [Fact]
    public void A_checkpoint_the_reader_leaves_still_gets_the_serializers_answer_from_the_store()
    {
        using var env = new TestEnvironment();
        var store = new CheckpointStore(env.CreateFolder("ws/checkpoints"));
        store.Write(Written);
        var path = store.PathOf("Clean", "2012-01-01");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"format\": 1,", "\"format\": 1, \"extra\": [1],", StringComparison.Ordinal));
        var lenient = store.Read("Clean", "2012-01-01");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"outputs\": [", "\"outputs\": null, \"x\": [", StringComparison.Ordinal));
        var unusable = store.Read("Clean", "2012-01-01");

        Json(lenient.Checkpoint.ShouldNotBeNull()).ShouldBe(Json(Written));
        unusable.Problem.ShouldBe($"{path} is not a checkpoint Cairn can use: outputs is missing or null");
    }

    [Fact]
    public void Strings_most_cells_share_are_made_once()
    {
        var recent = new RecentStrings();
        var bytes = WrittenBytes();

        var first = CheckpointReader.TryRead(bytes, "Clean", "2012-01-01", recent).ShouldNotBeNull();
        var second = CheckpointReader.TryRead(bytes, "Clean", "2012-01-01", recent).ShouldNotBeNull();

        ReferenceEquals(first.ToolVersion, second.ToolVersion).ShouldBeTrue();
        ReferenceEquals(first.CodeVersion, second.CodeVersion).ShouldBeTrue();
        ReferenceEquals(first.Outputs[1].Property, second.Outputs[1].Property).ShouldBeTrue();
        ReferenceEquals(first.Fingerprint, second.Fingerprint).ShouldBeFalse();
    }

    private static byte[] WrittenBytes() => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Written, CheckpointJsonContext.Default.Checkpoint) + "\n");

    private static byte[] WrittenWith(string written, string changed)
    {
        var text = Encoding.UTF8.GetString(WrittenBytes());
        text.ShouldContain(written);
        return Encoding.UTF8.GetBytes(text.Replace(written, changed, StringComparison.Ordinal));
    }

    private static Checkpoint Serializer(byte[] text) => JsonSerializer.Deserialize(text, CheckpointJsonContext.Default.Checkpoint)!;

    private static string Json(Checkpoint checkpoint) => JsonSerializer.Serialize(checkpoint, CheckpointJsonContext.Default.Checkpoint);
}
