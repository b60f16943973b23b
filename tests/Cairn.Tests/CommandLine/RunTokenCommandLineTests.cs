using Cairn.Tests.Support;

namespace Cairn.Tests.CommandLine;

/// <summary>
/// Run tokens through the real <c>./build.sh</c>: a token publishes once; the same token with the same arguments
/// publishes nothing again and says so, even when the package is rebuilt; the same token for another run is refused,
/// naming what differs.
/// </summary>
[Collection(BuildScriptRuns.Name)]
public sealed class RunTokenCommandLineTests
{
    [Fact]
    public void A_token_publishes_once_and_is_refused_for_a_run_with_other_arguments()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 366, 4);

        var first = BuildSh(env, "--target=Package", "--run-token=ci-42").ShouldExitWith(0);
        var latest = File.ReadAllText(env.PathOf("ws/artifacts/LATEST")).Trim();
        File.Delete(env.PathOf("ws/artifacts/LATEST"));
        var again = BuildSh(env, "--target=Package", "--run-token=ci-42", "--force=Package").ShouldExitWith(0);
        var other = ProcessStreams.Run(Repository.PathOf("build.sh"), ["--target=Package", "--run-token=ci-42", "--set=Train.l2=0.5", .. Locations(env)], Repository.Root).ShouldExitWith(2);

        first.Output.ShouldContain($"Package: published artifacts/{latest}; artifacts/LATEST names it\n");
        again.Output.ShouldContain("Package: ran 1 cell");
        again.Output.ShouldContain($"Package: run token ci-42 already published artifacts/{latest} (run 20");
        again.Output.ShouldNotContain("Package: published");
        File.Exists(env.PathOf("ws/artifacts/LATEST")).ShouldBeFalse("publication, LATEST included, happens once per token");
        other.StandardError.ShouldContain("--run-token=ci-42 was used by run 20");
        other.StandardError.ShouldContain("for another run: --set Train.L2: not given then, 0.5 now. A token names one run: give this one a new token.");
        File.ReadAllText(env.PathOf("ws/.cairn/governance/ledger.jsonl")).Split("\"kind\":\"published\"").Length.ShouldBe(2, "one publication in the ledger");
    }

    private static string[] Locations(TestEnvironment env) => [$"--workspace={env.PathOf("ws")}", $"--raw={env.PathOf("raw")}"];

    private static ProcessResult BuildSh(TestEnvironment env, params string[] arguments) =>
        Processes.Run(Repository.PathOf("build.sh"), [.. arguments, .. Locations(env)], Repository.Root);
}
