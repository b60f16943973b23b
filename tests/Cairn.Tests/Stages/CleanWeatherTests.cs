using System.Globalization;
using Cairn.Pipelines.Weather;
using Cairn.Tests.Support;

namespace Cairn.Tests.Stages;

public sealed class CleanWeatherTests : IDisposable
{
    private const string QuarantineHeader = SampleData.Header + ",_source,reason";

    private readonly TestEnvironment _env = new();
    private readonly RecordingBuildEngine _engine = new();
    private readonly StageRunner _stages;

    public CleanWeatherTests() => _stages = new StageRunner(_env, _engine);

    public void Dispose() => _env.Dispose();

    [Fact]
    public void Good_day_becomes_features_with_the_exact_header_and_derived_columns()
    {
        // 2012-01-02 is day 2: angle 2π/365.25; temp_range 10.6 - 2.8 = 7.8; precipitation 10.9 > 0, so rain 1.
        var clean = Clean($"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n", "2012-01-02");

        clean.Execute().ShouldBeTrue(_engine.Log);

        File.ReadAllText(_stages.Features).ShouldBe(
            "date,precipitation,temp_max,temp_min,temp_range,wind,doy_sin,doy_cos,weather,rain\n" +
            "2012-01-02,10.9,10.6,2.8,7.8,4.5,0.017202,0.999852,rain,1\n");
        File.ReadAllText(_stages.Quarantine).ShouldBe(QuarantineHeader + "\n");
        (clean.RowsIn, clean.RowsOut, clean.RowsQuarantined).ShouldBe((1L, 1L, 0L));
    }

    [Fact]
    public void Dry_first_day_of_the_year_has_rain_0_and_angle_0_and_numbers_without_trailing_zeros()
    {
        var clean = Clean($"{SampleData.Header}\n{SampleData.Day("2012-01-01")}\n", "2012-01-01");

        clean.Execute().ShouldBeTrue(_engine.Log);

        File.ReadLines(_stages.Features).Last().ShouldBe("2012-01-01,0,12.8,5,7.8,4.7,0,1,drizzle,0");
    }

    [Fact]
    public void Features_header_is_the_one_the_training_stage_reads()
    {
        CleanWeather.FeaturesHeader.ShouldBe("date,precipitation,temp_max,temp_min,temp_range,wind,doy_sin,doy_cos,weather,rain");
    }

    [Fact]
    public void Row_with_date_outside_its_partition_is_quarantined_with_reason()
    {
        var clean = Clean($"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n{SampleData.Day("2012-01-03")}\n", "2012-01-02");

        clean.Execute().ShouldBeTrue(_engine.Log);

        File.ReadAllText(_stages.Quarantine).ShouldBe(
            $"{QuarantineHeader}\n2012-01-03,0.8,11.7,7.2,2.3,rain,part-0.csv:3,date: 2012-01-03 is outside partition 2012-01-02\n");
        File.ReadLines(_stages.Features).Count().ShouldBe(2);
        (clean.RowsIn, clean.RowsOut, clean.RowsQuarantined).ShouldBe((2L, 1L, 1L));
    }

    [Fact]
    public void Ragged_row_is_quarantined_with_its_ingest_error_only()
    {
        var clean = Clean($"{SampleData.Header}\n2012-01-02,10,9,10.6,2.8,4.5,rain\n", "2012-01-02");

        clean.Execute().ShouldBeTrue(_engine.Log);

        File.ReadAllText(_stages.Quarantine).ShouldBe(
            $"{QuarantineHeader}\n2012-01-02,10,9,10.6,2.8,4.5,part-0.csv:2,\"row has 7 fields, header has 6\"\n");
        clean.RowsQuarantined.ShouldBe(1);
    }

    [Theory]
    [InlineData("2012-01-02,n/a,10.6,2.8,4.5,rain", "precipitation: 'n/a' is not a number")]
    [InlineData("2012-01-02,\"10,9\",10.6,2.8,4.5,rain", "precipitation: '10,9' is not a number")]
    [InlineData("02/01/2012,10.9,10.6,2.8,4.5,rain", "date: '02/01/2012' is not a date (yyyy-MM-dd)")]
    [InlineData("2012-01-02,10.9,51.2,2.8,4.5,rain", "temp_max: 51.2 is above the maximum 50")]
    [InlineData("2012-01-02,-1,10.6,2.8,4.5,rain", "precipitation: -1 is below the minimum 0")]
    [InlineData("2012-01-02,10.9,10.6,2.8,4.5,hail", "weather: 'hail' is not one of drizzle, fog, rain, snow, sun")]
    [InlineData("2012-01-02,10.9,10.6,2.8,4.5,Rain", "weather: 'Rain' is not one of drizzle, fog, rain, snow, sun")]
    [InlineData("2012-01-02,10.9,10.6,2.8,,rain", "wind: empty, but the contract does not allow nulls")]
    [InlineData("2012-01-02,10.9,10.6,2.8,-2,", "wind: -2 is below the minimum 0; weather: empty, but the contract does not allow nulls")]
    public void Row_breaking_the_contract_is_quarantined_with_its_reasons(string row, string reason)
    {
        var clean = Clean($"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n{row}\n", "2012-01-02");

        clean.Execute().ShouldBeTrue(_engine.Log);

        var quarantined = File.ReadLines(_stages.Quarantine).ToList();
        quarantined.Count.ShouldBe(2);
        quarantined[1].ShouldEndWith(",part-0.csv:3," + (reason.Contains(',', StringComparison.Ordinal) ? $"\"{reason}\"" : reason));
        File.ReadLines(_stages.Features).Count().ShouldBe(2);
        (clean.RowsOut, clean.RowsQuarantined).ShouldBe((1L, 1L));
    }

    [Fact]
    public void Header_only_day_writes_header_only_features_and_quarantine()
    {
        var clean = Clean(SampleData.Header + "\n", "2012-01-02");

        clean.Execute().ShouldBeTrue(_engine.Log);

        File.ReadAllText(_stages.Features).ShouldBe(CleanWeather.FeaturesHeader + "\n");
        File.ReadAllText(_stages.Quarantine).ShouldBe(QuarantineHeader + "\n");
        (clean.RowsIn, clean.RowsOut, clean.RowsQuarantined).ShouldBe((0L, 0L, 0L));
    }

    [Fact]
    public void Features_are_written_invariant_whatever_the_culture()
    {
        var before = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            Clean($"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n", "2012-01-02").Execute().ShouldBeTrue(_engine.Log);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }

        File.ReadLines(_stages.Features).Last().ShouldBe("2012-01-02,10.9,10.6,2.8,7.8,4.5,0.017202,0.999852,rain,1");
    }

    [Fact]
    public void Missing_profile_fails_saying_to_validate_first()
    {
        _stages.IngestText($"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n");

        _stages.Clean(SampleData.WeatherContract, "2012-01-02").Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN3001").ShouldBe(
            $"CAIRN3001: Profile {_stages.Profile} does not exist. Fix: run ValidateContract on {_stages.Ingested} first; CleanWeather takes its profile so that it runs only after validation.");
        File.Exists(_stages.Features).ShouldBeFalse();
        File.Exists(_stages.Quarantine).ShouldBeFalse();
    }

    [Fact]
    public void Profile_that_is_not_json_fails()
    {
        _stages.IngestText($"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n");
        _env.WriteFile("stages/profile.json", "rows: 1");

        _stages.Clean(SampleData.WeatherContract, "2012-01-02").Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN3001").ShouldStartWith($"CAIRN3001: Profile {_stages.Profile} is not valid JSON: ");
    }

    [Fact]
    public void Partition_that_is_not_a_date_fails()
    {
        _stages.IngestText($"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n");
        _stages.Validate(SampleData.WeatherContract).Execute().ShouldBeTrue(_engine.Log);

        _stages.Clean(SampleData.WeatherContract, "date=2012-01-02").Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN2006").ShouldBe("CAIRN2006: Partition 'date=2012-01-02' is not a date (yyyy-MM-dd). Fix: pass the partition's date, such as 2012-01-04.");
    }

    [Fact]
    public void Contract_that_does_not_type_a_feature_column_as_needed_fails()
    {
        var contract = _env.WriteFile("contract.yaml", File.ReadAllText(SampleData.WeatherContract).Replace(
            "  - name: wind\n    type: number\n    min: 0\n    max: 40\n",
            "  - name: wind\n    type: string\n",
            StringComparison.Ordinal));
        _stages.IngestText($"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n");
        _stages.Validate(contract).Execute().ShouldBeTrue(_engine.Log);

        _stages.Clean(contract, "2012-01-02").Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN3002").ShouldBe(
            $"CAIRN3002: {contract} must declare column 'wind' as a non-nullable number for CleanWeather's features, but it declares it string. Fix: declare 'wind' with 'type: number' and 'nullable: false'.");
    }

    [Fact]
    public void Renamed_column_fails_cleaning_with_the_same_code_as_validation()
    {
        _stages.IngestText($"date,precipitation,temp_hi,temp_min,wind,weather\n{SampleData.Day("2012-01-02")}\n");
        _env.WriteFile("stages/profile.json", "{\"rows\": 1}");

        _stages.Clean(SampleData.WeatherContract, "2012-01-02").Execute().ShouldBeFalse();

        _engine.AssertError("CAIRN2003").ShouldContain("column 3 is 'temp_hi' where");
    }

    [Fact]
    public void Running_twice_gives_byte_identical_outputs()
    {
        var clean = Clean($"{SampleData.Header}\n{SampleData.Day("2012-01-02")}\n{SampleData.Day("2012-01-03")}\n2012-01-02,x\n", "2012-01-02");

        clean.Execute().ShouldBeTrue(_engine.Log);
        var features = File.ReadAllBytes(_stages.Features);
        var quarantine = File.ReadAllBytes(_stages.Quarantine);
        _stages.Clean(SampleData.WeatherContract, "2012-01-02").Execute().ShouldBeTrue(_engine.Log);

        File.ReadAllBytes(_stages.Features).ShouldBe(features);
        File.ReadAllBytes(_stages.Quarantine).ShouldBe(quarantine);
    }

    [Fact]
    public void Messy_day_in_two_raw_files_flows_through_every_stage_and_every_row_is_accounted_for()
    {
        var dir = "raw/date=2012-01-02/";
        var first = _env.WriteFile(
            dir + "part-0.csv",
            $"\uFEFF Date , Precipitation ,temp_max,temp_min,wind,weather\r\n{SampleData.Day("2012-01-02")}\r\n2012-01-02,\"1,5\",10.6,2.8,4.5,rain\r\n");
        var second = _env.WriteFile(dir + "part-1.csv", $"{SampleData.Header}\n\n 2012-01-02 , 0 ,10.6,2.8,4.5,\"fog\"\n2012-01-02,0,10.6\n{SampleData.Day("2012-01-03")}\n");
        _stages.Ingest(first, second).Execute().ShouldBeTrue(_engine.Log);
        var validate = _stages.Validate(SampleData.WeatherContract, partition: "2012-01-02");
        validate.Execute().ShouldBeTrue(_engine.Log);

        var clean = _stages.Clean(SampleData.WeatherContract, "2012-01-02");
        clean.Execute().ShouldBeTrue(_engine.Log);

        File.ReadAllText(_stages.Features).ShouldBe(
            CleanWeather.FeaturesHeader + "\n" +
            "2012-01-02,10.9,10.6,2.8,7.8,4.5,0.017202,0.999852,rain,1\n" +
            "2012-01-02,0,10.6,2.8,7.8,4.5,0.017202,0.999852,fog,0\n");
        File.ReadAllText(_stages.Quarantine).ShouldBe(
            QuarantineHeader + "\n" +
            "2012-01-02,\"1,5\",10.6,2.8,4.5,rain,part-0.csv:3,\"precipitation: '1,5' is not a number\"\n" +
            "2012-01-02,0,10.6,,,,part-1.csv:4,\"row has 3 fields, header has 6\"\n" +
            "2012-01-03,0.8,11.7,7.2,2.3,rain,part-1.csv:5,date: 2012-01-03 is outside partition 2012-01-02\n");
        (clean.RowsIn, clean.RowsOut, clean.RowsQuarantined).ShouldBe((5L, 2L, 3L));
        validate.RowsWithViolations.ShouldBe(clean.RowsQuarantined);
    }

    [Fact]
    public void Every_day_of_the_first_quarter_of_2012_cleans_without_quarantine()
    {
        var days = File.ReadLines(SampleData.WeatherCsv).Skip(1).Where(l => string.CompareOrdinal(l, "2012-04") < 0).ToList();
        days.Count.ShouldBe(91);

        var features = new List<string>();
        foreach (var line in days)
        {
            var date = line[..10];
            _stages.IngestText($"{SampleData.Header}\n{line}\n", $"raw/date={date}/part-0.csv");
            _stages.Validate(SampleData.WeatherContract, date).Execute().ShouldBeTrue(_engine.Log);
            var clean = _stages.Clean(SampleData.WeatherContract, date);
            clean.Execute().ShouldBeTrue(_engine.Log);
            clean.RowsQuarantined.ShouldBe(0, date);
            features.Add(File.ReadLines(_stages.Features).Last());
        }

        // 2012 is a leap year: 2012-02-29 is day 60, angle 2π·59/365.25; temp_range 5.0 - 1.1 = 3.9.
        features.ShouldContain("2012-02-29,0.8,5,1.1,3.9,7,0.84945,0.527668,snow,1");
        features.Select(f => f[..10]).ShouldBe(days.Select(d => d[..10]));
    }

    private CleanWeather Clean(string rawCsv, string partition)
    {
        _stages.IngestText(rawCsv);
        _stages.Validate(SampleData.WeatherContract, partition).Execute().ShouldBeTrue(_engine.Log);
        return _stages.Clean(SampleData.WeatherContract, partition);
    }
}
