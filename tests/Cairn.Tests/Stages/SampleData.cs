namespace Cairn.Tests.Stages;

/// <summary>The weather pipeline's shipped sample and contract, found from the repository root.</summary>
internal static class SampleData
{
    public const string Header = "date,precipitation,temp_max,temp_min,wind,weather";

    public static string RepositoryRoot { get; } = FindRoot();

    public static string WeatherCsv => Path.Combine(RepositoryRoot, "pipelines", "weather", "data", "seattle-weather.csv");

    public static string WeatherContract => Path.Combine(RepositoryRoot, "pipelines", "weather", "config", "contract.yaml");

    /// <summary>The sample's data line for a date, such as "2012-01-02,10.9,10.6,2.8,4.5,rain".</summary>
    public static string Day(string date) =>
        File.ReadLines(WeatherCsv).Single(line => line.StartsWith(date + ",", StringComparison.Ordinal));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cairn.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Cairn.slnx above {AppContext.BaseDirectory}");
    }
}
