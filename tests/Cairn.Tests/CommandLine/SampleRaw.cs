using Cairn.Tests.Support;

namespace Cairn.Tests.CommandLine;

/// <summary>
/// Makes a Hive-style raw landing zone from the shipped sample, for command-line tests: every <c>step</c>-th day
/// across the whole four years (so the held-out window looks like the real one) or the first days.
/// </summary>
internal static class SampleRaw
{
    public static IReadOnlyList<string> Write(TestEnvironment env, string folder, int days, int step = 1)
    {
        var lines = File.ReadAllLines(Repository.PathOf("pipelines/weather/data/seattle-weather.csv"));
        var dates = new List<string>();
        foreach (var line in lines.Skip(1).Where((_, i) => i % step == 0).Take(days))
        {
            var date = line[..10];
            env.WriteFile($"{folder}/date={date}/weather.csv", lines[0] + "\n" + line + "\n");
            dates.Add(date);
        }

        return dates;
    }
}
