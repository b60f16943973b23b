using System.Diagnostics;
using System.Globalization;

namespace Cairn.Bench;

/// <summary>
/// Throughput and peak memory of the built-in stages (issue 11): CSV ingest and validation on a weather-shaped and a
/// flights-shaped day, Parquet ingest and validation on the flights-shaped day, each run several times in a fresh
/// process (<see cref="StageRunCommand"/>); medians against the goals. Rows per second per core are rows over the CPU
/// time of the measured run (all threads, the GC's included), which other work on the machine disturbs less than
/// wall time; wall time is shown beside it. Peak memory is compared at the full size and a quarter of it. Parquet.Net
/// alone decoding the same files is measured too: the ceiling of a Parquet stage built on it.
/// </summary>
internal static class StagesCommand
{
    private const int WarmupRows = 20_000;

    public static int Run(string repository, string directory, int runs, int rows)
    {
        var small = rows / 4;
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
        Console.Error.WriteLine($"stages: generating data in {directory} (cached)...");
        foreach (var size in new[] { WarmupRows, small, rows })
        {
            StageData.Ensure(directory, size);
        }

        var output = Path.Combine(directory, "out");
        Directory.CreateDirectory(output);
        var weatherContract = Path.Combine(repository, "pipelines", "weather", "config", "contract.yaml");
        var flightsContract = StageData.FlightsContract(directory);
        string Out(string name) => Path.Combine(output, name);

        // The warm-up inputs of the validations are ingest outputs too.
        Measure("ingest", StageData.WeatherCsv(directory, WarmupRows), StageData.WeatherCsv(directory, WarmupRows), Out("weather-warmup.csv"));
        Measure("ingest", StageData.WeatherParquet(directory, WarmupRows), StageData.WeatherParquet(directory, WarmupRows), Out("weather-warmup.parquet"));
        Measure("ingest", StageData.FlightsCsv(directory, WarmupRows), StageData.FlightsCsv(directory, WarmupRows), Out("flights-warmup.csv"));
        Measure("ingest", StageData.FlightsParquet(directory, WarmupRows), StageData.FlightsParquet(directory, WarmupRows), Out("flights-warmup.parquet"));

        Console.Error.WriteLine($"stages: measuring ({runs} runs each)...");
        Sample Ingest(string warmup, string input, string result) => Repeat(runs, () => Measure("ingest", warmup, input, Out(result)));
        Sample Validate(string warmup, string input, string contract, string profile) =>
            Repeat(runs, () => Measure("validate", Out(warmup), Out(input), contract, StageData.Day, Out(profile)));
        Sample Ceiling(string warmup, string input) => Repeat(runs, () => Measure("parquet-read", warmup, input));
        var results = new Dictionary<string, Sample>
        {
            ["csv-ingest-weather"] = Ingest(StageData.WeatherCsv(directory, WarmupRows), StageData.WeatherCsv(directory, rows), "weather.csv"),
            ["csv-validate-weather"] = Validate("weather-warmup.csv", "weather.csv", weatherContract, "weather-profile.json"),
            ["parquet-ingest-weather"] = Ingest(StageData.WeatherParquet(directory, WarmupRows), StageData.WeatherParquet(directory, rows), "weather.parquet"),
            ["parquet-validate-weather"] = Validate("weather-warmup.parquet", "weather.parquet", weatherContract, "weather-parquet-profile.json"),
            ["parquet-read-weather"] = Ceiling(StageData.WeatherParquet(directory, WarmupRows), StageData.WeatherParquet(directory, rows)),
            ["csv-ingest-flights"] = Ingest(StageData.FlightsCsv(directory, WarmupRows), StageData.FlightsCsv(directory, rows), "flights.csv"),
            ["csv-validate-flights"] = Validate("flights-warmup.csv", "flights.csv", flightsContract, "flights-profile.json"),
            ["parquet-ingest-flights"] = Ingest(StageData.FlightsParquet(directory, WarmupRows), StageData.FlightsParquet(directory, rows), "flights.parquet"),
            ["parquet-validate-flights"] = Validate("flights-warmup.parquet", "flights.parquet", flightsContract, "flights-parquet-profile.json"),
            ["parquet-read-flights"] = Ceiling(StageData.FlightsParquet(directory, WarmupRows), StageData.FlightsParquet(directory, rows)),
            ["csv-to-parquet-flights"] = Ingest(StageData.FlightsCsv(directory, WarmupRows), StageData.FlightsCsv(directory, rows), "flights-from-csv.parquet"),
            ["csv-ingest-weather-small"] = Ingest(StageData.WeatherCsv(directory, WarmupRows), StageData.WeatherCsv(directory, small), "weather-small.csv"),
            ["parquet-ingest-flights-small"] = Ingest(StageData.FlightsParquet(directory, WarmupRows), StageData.FlightsParquet(directory, small), "flights-small.parquet"),
        };

        var loadAfter = File.ReadAllText("/proc/loadavg").Split(' ')[..3];
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Built-in stages, one partition of {rows:N0} rows ({Environment.ProcessorCount} cores; load average before {string.Join(' ', load)}, after {string.Join(' ', loadAfter)}; medians of {runs} runs)"));
        Console.WriteLine($"{"figure",-46} {"rows/s per core",16} {"rows/s (wall)",14} {"peak MB",8}  {"goal",-14} result");
        Row("CSV ingest, weather shape (6 columns)", results["csv-ingest-weather"]);
        Row("CSV validation, weather shape", results["csv-validate-weather"]);
        Combined("CSV ingest + validation, weather shape", results["csv-ingest-weather"], results["csv-validate-weather"], 1_000_000);
        Row("CSV ingest, flights shape (30 columns)", results["csv-ingest-flights"]);
        Row("CSV validation, flights shape", results["csv-validate-flights"]);
        Combined("CSV ingest + validation, flights shape", results["csv-ingest-flights"], results["csv-validate-flights"], 1_000_000);
        Row("Parquet ingest, weather shape", results["parquet-ingest-weather"], 3_000_000);
        Row("Parquet validation, weather shape", results["parquet-validate-weather"], 3_000_000);
        Combined("Parquet ingest + validation, weather shape", results["parquet-ingest-weather"], results["parquet-validate-weather"], 3_000_000);
        Row("  Parquet.Net alone reading it (ceiling)", results["parquet-read-weather"]);
        Row("Parquet ingest, flights shape", results["parquet-ingest-flights"], 3_000_000);
        Row("Parquet validation, flights shape", results["parquet-validate-flights"], 3_000_000);
        Combined("Parquet ingest + validation, flights shape", results["parquet-ingest-flights"], results["parquet-validate-flights"], 3_000_000);
        Row("  Parquet.Net alone reading it (ceiling)", results["parquet-read-flights"]);
        Row("CSV to Parquet ingest, flights shape", results["csv-to-parquet-flights"]);
        Memory($"peak memory, CSV ingest {rows:N0} vs {small:N0} rows", results["csv-ingest-weather"], results["csv-ingest-weather-small"]);
        Memory($"peak memory, Parquet ingest {rows:N0} vs {small:N0} rows", results["parquet-ingest-flights"], results["parquet-ingest-flights-small"]);
        foreach (var (name, sample) in results)
        {
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {name}: rows/s per core {Spread(sample.PerCore)}, wall s {Spread(sample.Wall)}, peak MB {Spread(sample.PeakMb)}"));
        }

        return 0;
    }

    private static void Row(string figure, Sample sample, double? goal = null) =>
        Print(figure, Median(sample.PerCore), Median(sample.Rows) / Median(sample.Wall), Median(sample.PeakMb), goal);

    private static void Combined(string figure, Sample first, Sample second, double goal)
    {
        // One row through both stages: the CPU times add up.
        var perCore = 1 / ((1 / Median(first.PerCore)) + (1 / Median(second.PerCore)));
        var wall = Median(first.Rows) / (Median(first.Wall) + Median(second.Wall));
        Print(figure, perCore, wall, Math.Max(Median(first.PeakMb), Median(second.PeakMb)), goal);
    }

    private static void Print(string figure, double perCore, double wall, double peak, double? goal)
    {
        var verdict = goal is { } g
            ? perCore >= g ? "holds" : string.Create(CultureInfo.InvariantCulture, $"falls short ({perCore / g:P0} of the goal)")
            : string.Empty;
        var goalText = goal is { } value ? string.Create(CultureInfo.InvariantCulture, $">= {value:N0}") : "-";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{figure,-46} {perCore,16:N0} {wall,14:N0} {peak,8:N0}  {goalText,-14} {verdict}"));
    }

    private static void Memory(string figure, Sample large, Sample small)
    {
        var ratio = Median(large.PeakMb) / Median(small.PeakMb);
        var verdict = ratio <= 1.25 ? "holds" : "falls short";
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{figure,-46} {$"{Median(large.PeakMb):N0} vs {Median(small.PeakMb):N0} MB",31} {ratio,8:0.00}x  {"<= 1.25x",-14} {verdict}"));
    }

    private static Sample Repeat(int runs, Func<Measurement> measure)
    {
        var sample = new Sample();
        for (var i = 0; i < runs; i++)
        {
            var m = measure();
            sample.Rows.Add(m.Rows);
            sample.PerCore.Add(m.Rows / m.CpuSeconds);
            sample.Wall.Add(m.WallSeconds);
            sample.PeakMb.Add(m.PeakKb / 1024.0);
        }

        return sample;
    }

    private static Measurement Measure(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!);
        start.ArgumentList.Add(typeof(StagesCommand).Assembly.Location);
        start.ArgumentList.Add("stage-run");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var text = ChildProcess.Output(start, $"stage-run {string.Join(' ', arguments)}");
        var values = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).Where(p => p.Length == 2).ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
        return new Measurement(values["rows"], values["cpu_ms"] / 1000, values["wall_ms"] / 1000, values["peak_kb"]);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Spread(List<double> values) => string.Create(CultureInfo.InvariantCulture, $"{values.Min():N1}..{values.Max():N1}");

    private sealed record Measurement(double Rows, double CpuSeconds, double WallSeconds, double PeakKb);

    private sealed class Sample
    {
        public List<double> Rows { get; } = [];

        public List<double> PerCore { get; } = [];

        public List<double> Wall { get; } = [];

        public List<double> PeakMb { get; } = [];
    }
}
