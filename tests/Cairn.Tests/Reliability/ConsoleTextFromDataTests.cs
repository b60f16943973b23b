using System.Globalization;
using Cairn.Tests.CommandLine;
using Cairn.Tests.Support;

namespace Cairn.Tests.Reliability;

/// <summary>
/// Issue 10, smaller ones, through real <c>./build.sh</c> runs: text a message carries from data reaches the terminal
/// with its control characters escaped (a NUL or an escape sequence in a CSV header is shown, never obeyed), and a
/// stage that logs an error per column of a 10,000-column file puts ten of them and a count on the console, all of
/// them in the cell's log.
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

    [Fact]
    public void A_file_of_10000_columns_shows_ten_errors_and_a_count_on_the_console_and_all_of_them_in_the_log()
    {
        var extra = Enumerable.Range(1, 10_000 - 6).Select(i => string.Create(CultureInfo.InvariantCulture, $"extra{i}")).ToList();
        Write(Sample[0] + "," + string.Join(',', extra), Sample[1] + "," + string.Join(',', extra.Select(_ => "1")));

        // Undeclared columns are schema drift: the day is held for a person's approval (exit 3), and the held line names
        // five of the 9,994 new columns, not all of them.
        using var run = Validate().ShouldExitWith(3);

        var errors = run.Output.Split('\n').Count(l => l.Contains("[Validate date=2012-01-01] error CAIRN", StringComparison.Ordinal));
        errors.ShouldBe(10, run.Output.Length > 4000 ? run.Output[..4000] : run.Output);
        run.Output.ShouldContain($"  [Validate date={Day}] … and 9,984 more messages like these, in logs/date={Day}/Validate.log");
        File.ReadAllLines(_env.PathOf($"ws/logs/date={Day}/Validate.log")).Count(l => l.Contains("error CAIRN", StringComparison.Ordinal)).ShouldBe(9_994);
        var held = run.Output.Split('\n').Single(l => l.StartsWith($"Validate date={Day}: awaiting approval of schema drift", StringComparison.Ordinal));
        held.ShouldContain("new column 'extra5' (integer) and 9,989 more changes (./build.sh --target=Reviews lists them)");
        held.Length.ShouldBeLessThan(1_000);
    }

    private void Write(params string[] lines) => _env.WriteFile($"raw/date={Day}/weather.csv", string.Concat(lines.Select(l => l + "\n")));

    private BuildProcess Validate() =>
        BuildProcess.Start(["--target=Validate", $"--raw={_env.PathOf("raw")}", $"--workspace={_env.PathOf("ws")}"]).Finish();
}
