using System.Text;
using Cairn.Stages.Common;
using Cairn.Tests.Support;

namespace Cairn.Tests.Stages;

/// <summary>
/// Issue 11, item 4: values and quarantine reasons survive CSV to Parquet to CSV exactly. A raw CSV ingested to
/// Parquet and that Parquet ingested back to CSV gives the bytes of the raw CSV ingested to CSV; validating and
/// cleaning the Parquet gives the profile, features and quarantine (values, sources and reasons) of the CSV.
/// </summary>
public sealed class FormatRoundTripTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    private readonly RecordingBuildEngine _engine = new();
    private readonly TableStages _stages;

    public FormatRoundTripTests() => _stages = new TableStages(_engine);

    public void Dispose() => _env.Dispose();

    /// <summary>A day with every kind of messy row the ingest keeps, and every kind of contract violation.</summary>
    private static string MessyDay => string.Concat(
        "\uFEFF Date ,Precipitation,temp_max,temp_min,wind,weather\r\n",
        $"{SampleData.Day("2012-01-02")}\r\n",
        "\r\n",
        "2012-01-02,\"1,5\",10.6,2.8,4.5,rain\r\n",
        "2012-01-02,0.3,10.6,2.8,4.5,\"rain\nfog\"\r\n",
        " 2012-01-02 , 0 ,1,2,3,\"fog\"\r\n",
        "2012-01-02,\u00A00.5\u00A0,1,2,3,sun\r\n",
        "2012-01-02,2,3,4,5,sun,extra\r\n",
        "2012-01-02,2,3\r\n",
        "2012-01-02,5\"2,3,4,5,sun\r\n",
        "2012-01-03,-1,51.2,2.8,,hail\r\n",
        "2012/01/02,n/a,10.6,2.8,4.5,Sun\r\n",
        "2012-01-02,0.10,-0.0,1e1,4.50,snow\r\n",
        "2012-01-02,1,2,3,4,\"caf\u00E9 \"\"au lait\"\"\"\r\n",
        "2012-01-02,1,2,3,4,\"never closed\r\n2012-01-02,1,2,3,4,sun\r\n");

    [Fact]
    public void Csv_ingested_to_parquet_and_back_to_csv_is_byte_identical_to_the_csv_ingested_to_csv()
    {
        var raw = _env.WriteFile("raw/date=2012-01-02/weather.csv", MessyDay);

        var direct = _stages.Ingested(_env.PathOf("direct/weather.csv"), raw);
        var parquet = _stages.Ingested(_env.PathOf("parquet/weather.parquet"), raw);
        var back = _stages.Ingested(_env.PathOf("back/weather.csv"), parquet);

        File.ReadAllBytes(back).ShouldBe(File.ReadAllBytes(direct));
        File.ReadAllText(direct).ShouldContain(",weather.csv:16,malformed quoting: a quoted field is never closed\n");
        IngestedTable.Read(parquet).Rows.Select(r => r.Values.Append(r.Source).Append(r.Error))
            .ShouldBe(IngestedTable.Read(direct).Rows.Select(r => r.Values.Append(r.Source).Append(r.Error)));
    }

    [Fact]
    public void Validating_and_cleaning_the_parquet_ingest_give_the_profile_features_and_quarantine_of_the_csv_ingest()
    {
        var raw = _env.WriteFile("raw/date=2012-01-02/weather.csv", MessyDay);
        var csv = _stages.Ingested(_env.PathOf("csv/weather.csv"), raw);
        var parquet = _stages.Ingested(_env.PathOf("parquet/weather.parquet"), raw);

        foreach (var (input, folder) in new[] { (csv, "csv"), (parquet, "parquet") })
        {
            var profile = _env.PathOf($"{folder}/profile.json");
            _stages.Validate(input, SampleData.WeatherContract, profile, "2012-01-02").Execute().ShouldBeTrue(_engine.Log);
            _stages.Clean(input, profile, "2012-01-02", _env.PathOf($"{folder}/features.csv"), _env.PathOf($"{folder}/quarantine.csv")).Execute().ShouldBeTrue(_engine.Log);
        }

        foreach (var file in new[] { "profile.json", "features.csv", "quarantine.csv" })
        {
            _env.ReadFile($"parquet/{file}").ShouldBe(_env.ReadFile($"csv/{file}"), file);
        }

        var quarantine = _env.ReadFile("parquet/quarantine.csv");
        quarantine.ShouldContain("2012-01-03,-1,51.2,2.8,,hail,weather.csv:12,\"date: 2012-01-03 is outside partition 2012-01-02; precipitation: -1 is below the minimum 0; temp_max: 51.2 is above the maximum 50; wind: empty, but the contract does not allow nulls; weather: 'hail' is not one of drizzle, fog, rain, snow, sun\"\n");
        quarantine.ShouldContain("2012-01-02,1,2,3,4,\"caf\u00E9 \"\"au lait\"\"\",weather.csv:15,\"weather: 'caf\u00E9 \"\"au lait\"\"' is not one of drizzle, fog, rain, snow, sun\"\n");
        quarantine.ShouldContain("2012-01-02,2,3,,,,weather.csv:10,\"row has 3 fields, header has 6\"\n");
    }

    [Fact]
    public void Whole_sample_goes_csv_to_parquet_to_csv_unchanged_in_batches_of_many_row_groups()
    {
        // 80,000 rows: more than one batch and more than one row group, so that their seams are crossed.
        var sample = File.ReadAllLines(SampleData.WeatherCsv);
        var text = new StringBuilder(sample[0]).Append('\n');
        for (var i = 0; text.Length < 3_000_000; i++)
        {
            text.Append(sample[1 + (i % (sample.Length - 1))]).Append(i % 7 == 0 ? ",extra\n" : "\n");
        }

        var raw = _env.WriteFile("raw/weather.csv", text.ToString());

        var direct = _stages.Ingested(_env.PathOf("direct/weather.csv"), raw);
        var parquet = _stages.Ingested(_env.PathOf("parquet/weather.parquet"), raw);
        var back = _stages.Ingested(_env.PathOf("back/weather.csv"), parquet);

        var groups = ParquetFiles.RowGroupRows(parquet);
        groups.Count.ShouldBeGreaterThan(1);
        groups.ShouldAllBe(rows => rows <= 65_536);
        groups.Sum().ShouldBe(File.ReadLines(direct).LongCount() - 1);
        File.ReadAllBytes(back).ShouldBe(File.ReadAllBytes(direct));
    }
}
