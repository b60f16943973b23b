using Cairn.Tests.Engine;
using Cairn.Tests.Observability;

namespace Cairn.Tests.Reliability;

/// <summary>
/// Issue 10, item 5: folders of the raw landing zone that look like partitions but are not (a malformed date, another
/// case, nested, no <c>.csv</c> file) are never run; each run and Status say so, one warning line per kind with the
/// count and a few examples, and <c>--strict</c> makes them a usage error.
/// </summary>
public sealed class IgnoredPartitionTests : IDisposable
{
    private readonly EngineHarness _h = EngineHarness.TwoStages("2013-06-01", "2013-06-02");

    public IgnoredPartitionTests()
    {
        _h.WriteRaw("2013-6-3", "row\n");
        _h.WriteRaw("2013-06-03.bak", "row\n");
        _h.Env.WriteFile("raw/DATE=2013-06-05/part.csv", "row\n");
        _h.Env.WriteFile("raw/2013/date=2013-06-06/part.csv", "row\n");
        _h.Env.WriteFile("raw/date=2013-06-02/more/extra.csv", "row\n");
        _h.WriteRaw("2013-06-04", "row\n", "X.CSV");
        _h.Env.CreateFolder("raw/date=2013-06-07");
    }

    private string[] Expected =>
    [
        $"warning: 2 folders in {_h.Raw} are named date=… without a YYYY-MM-DD date and are ignored: date=2013-06-03.bak, date=2013-6-3; rename them date=YYYY-MM-DD (e.g. date=2013-05-03, partitions: grain: day).",
        $"warning: 1 folder in {_h.Raw} is named like a partition in another case and is ignored: DATE=2013-06-05; partition folders are named date=YYYY-MM-DD, in lower case.",
        $"warning: 2 folders in {_h.Raw} hold no .csv file and are ignored: date=2013-06-04 (holds X.CSV), date=2013-06-07; a partition needs at least one file named *.csv (the extension in lower case).",
        $"warning: 2 folders in {_h.Raw} lie deeper than a partition and are ignored: 2013/date=2013-06-06, date=2013-06-02/more; partitions are the folders date=YYYY-MM-DD at the top of the landing zone, their files directly inside.",
    ];

    public void Dispose() => _h.Dispose();

    [Fact]
    public void A_run_warns_of_each_kind_of_ignored_folder_once_with_the_count_and_examples_and_runs_the_real_partitions()
    {
        var run = _h.Run().ShouldSucceed();

        run.Lines.Where(l => l.StartsWith("warning: ", StringComparison.Ordinal)).ShouldBe(Expected);
        run.Output.ShouldContain("Cairn run ");
        run.Output.ShouldContain("(local, 2 partitions)");
        var log = Directory.GetFiles(_h.WorkspaceFile("logs/runs"), "*.log").Single();
        File.ReadAllText(log).ShouldContain(Expected[0]);
    }

    [Fact]
    public void Status_warns_of_them_too()
    {
        var status = Inspection.Run(_h, s => s.Status());

        status.Split('\n').Where(l => l.StartsWith("warning: ", StringComparison.Ordinal)).ShouldBe(Expected);
    }

    [Fact]
    public void Strict_makes_them_a_usage_error_before_anything_runs()
    {
        var run = _h.Run("--strict");

        run.UsageError.ShouldBeTrue(run.Output);
        ((CairnUsageException)run.Failure!).Problems.ShouldBe(Expected.Select(e => "--strict: " + e["warning: ".Length..]).ToList());
        Directory.Exists(_h.WorkspaceFile("checkpoints")).ShouldBeFalse();
    }

    [Fact]
    public void A_clean_landing_zone_warns_of_nothing_even_with_strict()
    {
        using var clean = EngineHarness.TwoStages("2013-06-01");

        clean.Run("--strict").ShouldSucceed().Output.ShouldNotContain("warning");
    }
}
