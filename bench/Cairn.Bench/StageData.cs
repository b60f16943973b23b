using System.Globalization;
using System.Text;

namespace Cairn.Bench;

/// <summary>
/// The partitions the stage benchmarks read, generated once per size into a folder and reused: a weather-shaped day
/// (the sample's six columns) as CSV, and a flights-shaped day (30 columns of ints, strings, timestamps, dates,
/// booleans and a double, some nullable, like the BTS on-time data) as CSV and as typed Parquet with the same values.
/// The generator is seeded, so the same size always gives the same bytes.
/// </summary>
internal static class StageData
{
    public const string Day = "2013-05-03";

    private static readonly string[] Weather = ["drizzle", "fog", "rain", "snow", "sun"];

    public static string WeatherCsv(string directory, int rows) => Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"weather-{rows}.csv"));

    public static string WeatherParquet(string directory, int rows) => Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"weather-{rows}.parquet"));

    public static string FlightsCsv(string directory, int rows) => Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"flights-{rows}.csv"));

    public static string FlightsParquet(string directory, int rows) => Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"flights-{rows}.parquet"));

    public static string FlightsContract(string directory) => Path.Combine(directory, "flights-contract.yaml");

    /// <summary>Makes the files of one size unless they are there.</summary>
    public static void Ensure(string directory, int rows)
    {
        Directory.CreateDirectory(directory);
        if (!File.Exists(WeatherCsv(directory, rows)))
        {
            WriteWeather(WeatherCsv(directory, rows), rows);
        }

        if (!File.Exists(WeatherParquet(directory, rows)))
        {
            WriteAtomically(WeatherParquet(directory, rows), path => WeatherDay.WriteParquet(WeatherCsv(directory, rows), path));
        }

        if (!File.Exists(FlightsParquet(directory, rows)))
        {
            var flights = FlightsDay.Generate(rows);
            WriteAtomically(FlightsCsv(directory, rows), path => flights.WriteCsv(path));
            WriteAtomically(FlightsParquet(directory, rows), path => flights.WriteParquet(path));
        }

        File.WriteAllText(FlightsContract(directory), FlightsDay.Contract);
    }

    private static void WriteWeather(string path, int rows)
    {
        var random = new Random(rows);
        WriteAtomically(path, file =>
        {
            using var writer = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 16);
            writer.Write("date,precipitation,temp_max,temp_min,wind,weather\n");
            for (var i = 0; i < rows; i++)
            {
                var max = Math.Round((random.NextDouble() * 40) - 5, 1);
                writer.Write(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{Day},{Math.Round(random.NextDouble() * 30, 1)},{max},{Math.Round(max - (random.NextDouble() * 10), 1)},{Math.Round(random.NextDouble() * 9, 1)},{Weather[random.Next(Weather.Length)]}\n"));
            }
        });
    }

    internal static void WriteAtomically(string path, Action<string> write)
    {
        var temporary = path + ".tmp";
        write(temporary);
        File.Move(temporary, path, overwrite: true);
    }
}
