using System.Text.Json;
using Cairn.Tests.CommandLine;
using Cairn.Tests.Support;

namespace Cairn.Tests.Observability;

/// <summary>History and Health through the real <c>./build.sh</c>: with <c>--format=json</c> stdout carries the document and nothing else, whatever Cake prints.</summary>
[Collection(BuildScriptRuns.Name)]
public sealed class InspectionJsonCommandLineTests
{
    [Fact]
    public void History_health_and_the_summary_put_one_json_document_on_stdout_and_the_summary_reads_as_text()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 30);
        BuildSh(env, "--target=Clean").ShouldExitWith(0);
        BuildSh(env, "--target=Clean").ShouldExitWith(0);

        foreach (var (arguments, format) in new[]
        {
            (new[] { "--target=History", "--format=json" }, "cairn-history"),
            (["--target=Health", "--format=json", "--verbosity=normal"], "cairn-health"),
            // Cake prints "Analyzing build script…" at verbose and diagnostic before the script runs: on stderr.
            (["--target=History", "--format=json", "--verbosity=diagnostic"], "cairn-history"),
            (["--target=Status", "--format", "json", "--verbosity=verbose"], "cairn-status"),
            (["--target=History", "--summary", "--format=json"], "cairn-history-summary"),
        })
        {
            var run = BuildSh(env, arguments).ShouldExitWith(0);
            using var document = JsonDocument.Parse(run.StandardOutput);
            document.RootElement.GetProperty("format").GetString().ShouldBe(format, string.Join(' ', arguments));
            run.StandardOutput.TrimEnd('\n').ShouldEndWith("}");
        }

        var summary = BuildSh(env, "--target=History", "--summary").ShouldExitWith(0);
        summary.StandardOutput.ShouldContain("\n  Runs          2: 2 succeeded\n  Success rate  100.0% (succeeded, of the 2 runs that ended)\n  Cells         180: 90 ran, 90 skipped, 0 failed\n  Rows read     90 (");
    }

    private static ProcessStreams BuildSh(TestEnvironment env, params string[] arguments) =>
        ProcessStreams.Run(Repository.PathOf("build.sh"), [.. arguments, $"--workspace={env.PathOf("ws")}", $"--raw={env.PathOf("raw")}"], Repository.Root);
}
