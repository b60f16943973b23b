using System.Globalization;
using Cairn.Tests.Engine;
using Cairn.Tests.Support;

namespace Cairn.Tests.Hashing;

/// <summary>
/// A workspace committed as the hand-written XXH3-128 left it (old-workspace/, see its README.md): the pipeline it was
/// built with, and its raw inputs, which are rebuilt here from the known-answer pattern rather than committed.
/// </summary>
internal static class OldWorkspaceFixture
{
    public const string Pipeline = """
        name: old-workspace
        assembly: Cairn.Tests
        stages:
          Tail:
            task: Cairn.Tests.Hashing.FixtureStages.TailStage
            partitioned: true
            inputs:
              Sources: "{raw}/date={date}/input.csv"
            outputs:
              Output: "data/tail/date={date}/tail.bin"
            parameters:
              Keep: "3000"
          Join:
            task: Cairn.Tests.Hashing.FixtureStages.JoinStage
            inputs:
              Parts: "data/tail/date={each}/tail.bin"
            outputs:
              Joined: "data/joined.bin"
        """;

    // Each day's input is the first N pattern bytes. The lengths cross every XXH3 length band and, for files,
    // the read buffer's size (1 MiB when the fixture was made) on either side: a change in how a file is
    // streamed, not only in the one-shot digest, shows up as a changed input.
    public static readonly int[] InputLengths =
    [
        0, 1, 3, 4, 8, 9, 16, 17, 128, 129, 240, 241, 1024, 1025, 4096, 65_537,
        1_048_575, 1_048_576, 1_048_577, 3_333_333,
    ];

#if DEBUG
    private const string Configuration = "debug";
#else
    private const string Configuration = "release";
#endif

    /// <summary>The committed workspace made by a build of the configuration these tests were built in.</summary>
    public static string Workspace => Repository.PathOf($"tests/Cairn.Tests/Hashing/old-workspace/{Configuration}");

    public static IReadOnlyList<string> Days { get; } =
        Enumerable.Range(0, InputLengths.Length).Select(i => new DateOnly(2020, 1, 1).AddDays(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();

    public static EngineHarness CreateHarness()
    {
        var harness = new EngineHarness(Pipeline, ("Tail", []), ("Join", ["Tail"]));
        var pattern = KnownAnswers.CreatePattern(InputLengths.Max());
        for (var i = 0; i < InputLengths.Length; i++)
        {
            harness.Env.WriteBytes($"raw/date={Days[i]}/input.csv", pattern[..InputLengths[i]]);
        }

        return harness;
    }
}
