using Cairn.Tests.CommandLine;
using Cairn.Tests.Support;

namespace Cairn.Tests.Reliability;

/// <summary>
/// Issue 10, smaller ones, through real <c>./build.sh</c> runs: text a message carries from data reaches the terminal
/// with its control characters escaped (a NUL or an escape sequence in a CSV header is shown, never obeyed).
/// </summary>
[Collection(BuildScriptRuns.Name)]
public sealed class ConsoleTextFromDataTests : IDisposable
{
    private const string Day = "2012-01-01";
    private static readonly string[] Sample = File.ReadAllLines(Repository.PathOf("pipelines/weather/data/seattle-weather.csv"));
    private readonly TestEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public void A_nul_and_an_escape_sequence_in_a_csv_header_are_shown_escaped_never_written_raw()
    {
        Write(Sample[0] + ",no\0te\u001b[2J", Sample[1] + ",x");

        using var run = Validate().ShouldExitWith(1);

        run.Output.ShouldContain(@"'no\0te\e[2J'");
        run.Output.ShouldNotContain("\0");
        run.Output.ShouldNotContain("\u001b");
        File.ReadAllText(_env.PathOf($"ws/logs/date={Day}/Validate.log")).ShouldNotContain("\0");
    }

    private void Write(params string[] lines) => _env.WriteFile($"raw/date={Day}/weather.csv", string.Concat(lines.Select(l => l + "\n")));

    private BuildProcess Validate() =>
        BuildProcess.Start(["--target=Validate", $"--raw={_env.PathOf("raw")}", $"--workspace={_env.PathOf("ws")}"]).Finish();
}
