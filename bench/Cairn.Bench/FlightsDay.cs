using System.Globalization;
using Cairn.Stages.Common;
using Parquet;
using Parquet.Schema;

namespace Cairn.Bench;

/// <summary>A flights-shaped day held column by column.</summary>
internal sealed class FlightsDay
{
    private static readonly string[] Carriers = ["9E", "AA", "AS", "B6", "DL", "EV", "F9", "FL", "HA", "MQ", "OO", "UA", "US", "VX", "WN", "YV"];
    private static readonly string[] Origins = ["EWR", "JFK", "LGA"];

    public const string Contract = """
        # The flights-shaped benchmark day: every column typed, ranges loose enough for real data.
        columns:
          - { name: year, type: integer, min: 1987, max: 2030 }
          - { name: month, type: integer, min: 1, max: 12 }
          - { name: day, type: integer, min: 1, max: 31 }
          - { name: flight_date, type: date, partition_key: true }
          - { name: dep_time, type: integer, nullable: true, min: 0, max: 2400 }
          - { name: sched_dep_time, type: integer, min: 0, max: 2400 }
          - { name: dep_delay, type: integer, nullable: true, min: -120, max: 1500 }
          - { name: arr_time, type: integer, nullable: true, min: 0, max: 2400 }
          - { name: sched_arr_time, type: integer, min: 0, max: 2400 }
          - { name: arr_delay, type: integer, nullable: true, min: -120, max: 1500 }
          - { name: carrier, type: category, allowed: [9E, AA, AS, B6, DL, EV, F9, FL, HA, MQ, OO, UA, US, VX, WN, YV] }
          - { name: flight, type: integer, min: 1, max: 9999 }
          - { name: tailnum, type: string, nullable: true }
          - { name: origin, type: category, allowed: [EWR, JFK, LGA] }
          - { name: dest, type: string }
          - { name: air_time, type: integer, nullable: true, min: 0, max: 900 }
          - { name: distance, type: number, min: 0, max: 6000 }
          - { name: hour, type: integer, min: 0, max: 24 }
          - { name: minute, type: integer, min: 0, max: 59 }
          - { name: time_hour, type: timestamp }
          - { name: dep_ts, type: timestamp, nullable: true }
          - { name: arr_ts, type: timestamp, nullable: true }
          - { name: taxi_out, type: integer, nullable: true, min: 0, max: 300 }
          - { name: taxi_in, type: integer, nullable: true, min: 0, max: 300 }
          - { name: cancelled, type: boolean }
          - { name: diverted, type: boolean }
          - { name: carrier_delay, type: integer, nullable: true, min: 0, max: 1500 }
          - { name: weather_delay, type: integer, nullable: true, min: 0, max: 1500 }
          - { name: nas_delay, type: integer, nullable: true, min: 0, max: 1500 }
          - { name: late_aircraft_delay, type: integer, nullable: true, min: 0, max: 1500 }
        """;

    private readonly int _rows;
    private readonly int?[][] _ints = new int?[20][];
    private readonly string?[][] _strings = new string?[4][];
    private readonly DateTime?[][] _times = new DateTime?[3][];
    private readonly bool[][] _bools = new bool[2][];
    private readonly double[] _distance;

    private FlightsDay(int rows)
    {
        _rows = rows;
        for (var i = 0; i < _ints.Length; i++)
        {
            _ints[i] = new int?[rows];
        }

        for (var i = 0; i < _strings.Length; i++)
        {
            _strings[i] = new string?[rows];
        }

        for (var i = 0; i < _times.Length; i++)
        {
            _times[i] = new DateTime?[rows];
        }

        _bools[0] = new bool[rows];
        _bools[1] = new bool[rows];
        _distance = new double[rows];
    }

    // Column order: year month day flight_date dep_time sched_dep_time dep_delay arr_time sched_arr_time arr_delay
    // carrier flight tailnum origin dest air_time distance hour minute time_hour dep_ts arr_ts taxi_out taxi_in
    // cancelled diverted carrier_delay weather_delay nas_delay late_aircraft_delay.
    private static readonly string[] Names =
    [
        "year", "month", "day", "flight_date", "dep_time", "sched_dep_time", "dep_delay", "arr_time", "sched_arr_time", "arr_delay",
        "carrier", "flight", "tailnum", "origin", "dest", "air_time", "distance", "hour", "minute", "time_hour", "dep_ts", "arr_ts",
        "taxi_out", "taxi_in", "cancelled", "diverted", "carrier_delay", "weather_delay", "nas_delay", "late_aircraft_delay",
    ];

    // Where each column's values are: (kind, index) with kind i = int, s = string, t = timestamp, b = bool, d = date, f = double.
    private static readonly (char Kind, int Index)[] Layout =
    [
        ('i', 0), ('i', 1), ('i', 2), ('d', 0), ('i', 3), ('i', 4), ('i', 5), ('i', 6), ('i', 7), ('i', 8),
        ('s', 0), ('i', 9), ('s', 1), ('s', 2), ('s', 3), ('i', 10), ('f', 0), ('i', 11), ('i', 12), ('t', 0), ('t', 1), ('t', 2),
        ('i', 13), ('i', 14), ('b', 0), ('b', 1), ('i', 15), ('i', 16), ('i', 17), ('i', 18),
    ];

    private static readonly bool[] Nullable =
    [
        false, false, false, false, true, false, true, true, false, true,
        false, false, true, false, false, true, false, false, false, false, true, true,
        true, true, false, false, true, true, true, true,
    ];

    public static FlightsDay Generate(int rows)
    {
        var f = new FlightsDay(rows);
        var random = new Random(rows + 1);
        var day = DateTime.ParseExact(StageData.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        var dests = Enumerable.Range(0, 100).Select(i => string.Create(CultureInfo.InvariantCulture, $"{(char)('A' + (i % 26))}{(char)('A' + (i / 26 % 26))}X")).ToArray();
        var tails = Enumerable.Range(0, 4000).Select(i => string.Create(CultureInfo.InvariantCulture, $"N{i:0000}{(char)('A' + (i % 26))}")).ToArray();
        for (var r = 0; r < rows; r++)
        {
            var sched = (random.Next(5, 23) * 100) + random.Next(0, 60);
            var cancelled = random.Next(50) == 0;
            var delay = random.Next(-15, 120);
            var schedArr = ((sched / 100 * 60) + (sched % 100) + 120 + random.Next(0, 300)) % 1440;
            var at = day.AddMinutes((sched / 100 * 60) + (sched % 100));
            f._ints[0][r] = 2013;
            f._ints[1][r] = 5;
            f._ints[2][r] = 3;
            f._ints[3][r] = cancelled ? null : Clock(sched, delay);
            f._ints[4][r] = sched;
            f._ints[5][r] = cancelled ? null : delay;
            f._ints[6][r] = cancelled ? null : Clock((schedArr / 60 * 100) + (schedArr % 60), delay);
            f._ints[7][r] = (schedArr / 60 * 100) + (schedArr % 60);
            f._ints[8][r] = cancelled ? null : delay + random.Next(-20, 20);
            f._strings[0][r] = Carriers[random.Next(Carriers.Length)];
            f._ints[9][r] = random.Next(1, 6000);
            f._strings[1][r] = random.Next(100) == 0 ? null : tails[random.Next(tails.Length)];
            f._strings[2][r] = Origins[random.Next(Origins.Length)];
            f._strings[3][r] = dests[random.Next(dests.Length)];
            f._ints[10][r] = cancelled ? null : random.Next(20, 600);
            f._distance[r] = Math.Round(random.NextDouble() * 4900, 1) + 17;
            f._ints[11][r] = sched / 100;
            f._ints[12][r] = sched % 100;
            f._times[0][r] = at.AddMinutes(-(sched % 100));
            f._times[1][r] = cancelled ? null : at.AddMinutes(delay);
            f._times[2][r] = cancelled ? null : at.AddMinutes(delay + 150 + random.Next(0, 200)).AddSeconds(random.Next(60));
            f._ints[13][r] = cancelled ? null : random.Next(5, 60);
            f._ints[14][r] = cancelled ? null : random.Next(2, 30);
            f._bools[0][r] = cancelled;
            f._bools[1][r] = !cancelled && random.Next(400) == 0;
            var late = !cancelled && delay > 15;
            f._ints[15][r] = late ? random.Next(0, delay) : null;
            f._ints[16][r] = late ? random.Next(0, 20) : null;
            f._ints[17][r] = late ? random.Next(0, 30) : null;
            f._ints[18][r] = late ? random.Next(0, delay) : null;
        }

        return f;
    }

    public void WriteCsv(string path)
    {
        using var writer = StageCsv.OpenWriter(path);
        writer.WriteHeader(Names);
        for (var r = 0; r < _rows; r++)
        {
            foreach (var (kind, index) in Layout)
            {
                writer.WriteField(kind switch
                {
                    'i' => _ints[index][r]?.ToString(CultureInfo.InvariantCulture),
                    's' => _strings[index][r],
                    't' => _times[index][r]?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    'b' => _bools[index][r] ? "true" : "false",
                    'd' => StageData.Day,
                    _ => _distance[r].ToString("R", CultureInfo.InvariantCulture),
                });
            }

            writer.EndRecord();
        }
    }

    public void WriteParquet(string path)
    {
        var fields = Names.Select((name, i) => Layout[i].Kind switch
        {
            'i' => new DataField(name, typeof(int), Nullable[i]),
            's' => new DataField<string>(name, Nullable[i]),
            't' => new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros, isNullable: Nullable[i]),
            'b' => new DataField(name, typeof(bool), Nullable[i]),
            'd' => new DataField(name, typeof(DateOnly), Nullable[i]),
            _ => new DataField(name, typeof(double), Nullable[i]),
        }).ToArray();
        using var stream = File.Create(path);
        var options = new ParquetOptions { UseDateOnlyTypeForDates = true };
        foreach (var text in fields.Where(f => f.ClrType == typeof(string) || f.ClrType == typeof(ReadOnlyMemory<char>)))
        {
            // As pyarrow and Spark write strings: dictionary encoded where it pays.
            options.ColumnEncodingHints[text.Name] = EncodingHint.Dictionary;
        }

        var writer = ParquetWriter.CreateAsync(new ParquetSchema(fields), stream, options).GetAwaiter().GetResult();
        const int Group = 65_536;
        for (var start = 0; start < _rows; start += Group)
        {
            var count = Math.Min(Group, _rows - start);
            using var group = writer.CreateRowGroup();
            for (var c = 0; c < fields.Length; c++)
            {
                var (kind, index) = Layout[c];
                var field = fields[c];
                var task = kind switch
                {
                    'i' when field.IsNullable => group.WriteAsync(field, (ReadOnlyMemory<int?>)_ints[index].AsMemory(start, count)),
                    'i' => group.WriteAsync(field, (ReadOnlyMemory<int>)_ints[index].Skip(start).Take(count).Select(v => v!.Value).ToArray()),
                    's' => group.WriteAsync(field, _strings[index].Skip(start).Take(count).ToArray()),
                    't' when field.IsNullable => group.WriteAsync(field, (ReadOnlyMemory<DateTime?>)_times[index].AsMemory(start, count)),
                    't' => group.WriteAsync(field, (ReadOnlyMemory<DateTime>)_times[index].Skip(start).Take(count).Select(v => v!.Value).ToArray()),
                    'b' => group.WriteAsync(field, (ReadOnlyMemory<bool>)_bools[index].AsMemory(start, count)),
                    'd' => group.WriteAsync(field, (ReadOnlyMemory<DateOnly>)Enumerable.Repeat(DateOnly.ParseExact(StageData.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture), count).ToArray()),
                    _ => group.WriteAsync(field, (ReadOnlyMemory<double>)_distance.AsMemory(start, count)),
                };
                task.GetAwaiter().GetResult();
            }

            group.CompleteValidate();
        }

        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private static int Clock(int hhmm, int minutes)
    {
        var total = (((hhmm / 100 * 60) + (hhmm % 100) + minutes) % 1440 + 1440) % 1440;
        return (total / 60 * 100) + (total % 60);
    }
}
