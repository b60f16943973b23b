using System.Globalization;
using System.Text;
using Cairn.Tests.Support;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Cairn.Tests.Modelling;

/// <summary>
/// Makes features files (the Features stage's format) from the shipped Seattle sample, so the modelling
/// stages are tested on the real data without depending on the stage that normally writes them.
/// </summary>
internal static class SampleFeatures
{
    public const string Header = "date,precipitation,temp_max,temp_min,temp_range,wind,doy_sin,doy_cos,weather,rain";

    private static readonly Lazy<SampleDay[]> LazyDays = new(ReadSample);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>All 1,461 days of the sample, in date order.</summary>
    public static IReadOnlyList<SampleDay> Days => LazyDays.Value;

    public static string PathInRepository(string relative) => Path.Combine(RepositoryRoot, relative);

    /// <summary>Writes one features file per day under <paramref name="folder"/>/date=yyyy-MM-dd/.</summary>
    public static ITaskItem[] WriteDaily(TestEnvironment env, string folder, IEnumerable<SampleDay> days) =>
        days.Select(day => Item(env.WriteFile(
                Path.Combine(folder, Invariant($"date={day.Date:yyyy-MM-dd}"), "features.csv"), Csv([day]))))
            .ToArray();

    /// <summary>Writes one features file per calendar month under <paramref name="folder"/>/month=yyyy-MM/.</summary>
    public static ITaskItem[] WriteMonthly(TestEnvironment env, string folder, IEnumerable<SampleDay> days) =>
        days.GroupBy(day => (day.Date.Year, day.Date.Month))
            .Select(month => Item(env.WriteFile(
                Path.Combine(folder, Invariant($"month={month.Key.Year:0000}-{month.Key.Month:00}"), "features.csv"), Csv(month))))
            .ToArray();

    public static ITaskItem Item(string path) => new TaskItem(path);

    /// <summary>The feature columns of the sample's config/train.yaml, in its order.</summary>
    public static readonly string[] FeatureColumns = ["temp_max", "temp_min", "temp_range", "wind", "doy_sin", "doy_cos"];

    /// <summary>A day's values of <see cref="FeatureColumns"/>, as the features file holds them.</summary>
    public static double[] Values(SampleDay day)
    {
        var angle = 2 * Math.PI * (day.Date.DayOfYear - 1) / (DateTime.IsLeapYear(day.Date.Year) ? 366 : 365);
        return [day.TempMax, day.TempMin, Math.Round(day.TempMax - day.TempMin, 6), day.Wind, Math.Round(Math.Sin(angle), 6), Math.Round(Math.Cos(angle), 6)];
    }

    public static string Csv(IEnumerable<SampleDay> days)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var day in days)
        {
            var v = Values(day);
            text.Append(Invariant(
                $"{day.Date:yyyy-MM-dd},{day.Precipitation},{v[0]},{v[1]},{v[2]},{v[3]},{v[4]},{v[5]},{day.Weather},{(day.Rain ? 1 : 0)}"))
                .Append('\n');
        }

        return text.ToString();
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private static SampleDay[] ReadSample()
    {
        var lines = File.ReadAllLines(PathInRepository("pipelines/weather/data/seattle-weather.csv"));
        lines[0].ShouldBe("date,precipitation,temp_max,temp_min,wind,weather");
        return lines.Skip(1)
            .Select(line => line.Split(','))
            .Select(fields => new SampleDay(
                DateOnly.ParseExact(fields[0], "yyyy-MM-dd", CultureInfo.InvariantCulture),
                double.Parse(fields[1], CultureInfo.InvariantCulture),
                double.Parse(fields[2], CultureInfo.InvariantCulture),
                double.Parse(fields[3], CultureInfo.InvariantCulture),
                double.Parse(fields[4], CultureInfo.InvariantCulture),
                fields[5]))
            .ToArray();
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Cairn.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no Cairn.slnx above {AppContext.BaseDirectory}");
    }
}
