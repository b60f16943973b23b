using Cairn.Engine.Partitions;
using Cairn.Tests.Support;

namespace Cairn.Tests.CommandLine;

/// <summary>
/// The full shipped sample (1,461 days) through <c>./build.sh</c>, in the order the README tells it: a first run, a
/// no-op, one day's raw file changed, Status, the run that follows, History and Health; then a week's backfill after
/// one day inside the week and one outside changed, with Status after it. Made once for the tests that compare the
/// README's sample output with the real one.
/// </summary>
public sealed class SampleRuns : IDisposable
{
    /// <summary>The day whose raw file changes, and how.</summary>
    public const string ChangedDay = "2013-05-03";

    /// <summary>The week a backfill rebuilds (README: Backfills), and the days changed inside and outside it before.</summary>
    public static readonly string[] Week = ["--from=2013-05-03", "--to=2013-05-09"];

    public const string InsideDay = "2013-05-05";

    public const string OutsideDay = "2013-06-01";

    private readonly TestEnvironment _env = new();
    private readonly Dictionary<string, ProcessStreams> _runs = new(StringComparer.Ordinal);

    public SampleRuns()
    {
        var landing = _env.PathOf("landing");
        LandingZone.EnsureCreated(Repository.PathOf("pipelines/weather/data/seattle-weather.csv"), "date", landing, PartitionScheme.Default);
        Record("first-run");
        Record("no-op");
        Rain(ChangedDay);
        Record("status", "--target=Status");
        Record("changed-day");
        Record("history", "--target=History");
        Record("health", "--target=Health");
        Rain(InsideDay);
        Rain(OutsideDay);
        Record("backfill", Week);
        Record("backfill-status", "--target=Status");
        Record("backfill-status-week", ["--target=Status", .. Week]);
    }

    /// <summary>The workspace, shown as <c>work/weather</c> in the README (the sample's default workspace).</summary>
    public string Workspace => _env.PathOf("work");

    /// <summary>The landing zone, shown as <c>work/weather/landing</c> in the README.</summary>
    public string Landing => _env.PathOf("landing");

    internal ProcessStreams this[string name] => _runs[name];

    public void Dispose() => _env.Dispose();

    /// <summary>A day's weather corrected from sun to rain, as late data would correct it.</summary>
    private void Rain(string day)
    {
        var file = Path.Combine(Landing, $"date={day}", "seattle-weather.csv");
        File.WriteAllText(file, File.ReadAllText(file).Replace(",sun\n", ",rain\n", StringComparison.Ordinal));
    }

    private void Record(string name, params string[] arguments) =>
        _runs[name] = ProcessStreams.Run(Repository.PathOf("build.sh"), [.. arguments, $"--workspace={Workspace}", $"--raw={Landing}"], Repository.Root).ShouldExitWith(0);
}
