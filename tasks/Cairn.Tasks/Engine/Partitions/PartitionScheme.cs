using System.Globalization;
using System.IO.Enumeration;

namespace Cairn.Engine.Partitions;

/// <summary>
/// How a pipeline's landing zone is partitioned (<c>partitions:</c> in the pipeline file): the folder key
/// (<c>{raw}/KEY=value/</c>), the grain of its values (hour <c>YYYY-MM-DDTHH</c>, day <c>YYYY-MM-DD</c>, month
/// <c>YYYY-MM</c>, or none) and which files of a partition folder are its raw data. Keys of every grain sort in time
/// order as text, so the plan and the scan handle them as ordered strings whatever the grain.
/// </summary>
internal sealed record PartitionScheme(string Key, PartitionGrain Grain, string Files)
{
    private static readonly string[] GrainNames = ["hour", "day", "month", "none"];

    /// <summary>What a pipeline file without <c>partitions:</c> gets: <c>date=YYYY-MM-DD/*.csv</c>.</summary>
    public static PartitionScheme Default { get; } = new("date", PartitionGrain.Day, "*.csv");

    public static string Grains => string.Join(" | ", GrainNames);

    public bool IsPartitioned => Grain != PartitionGrain.None;

    /// <summary>The start of a partition folder's name: <c>date=</c>.</summary>
    public string FolderPrefix => Key + "=";

    /// <summary>The grain's name as the pipeline file writes it.</summary>
    public string GrainName => GrainNames[(int)Grain];

    /// <summary>The key's form as a person reads it: <c>YYYY-MM-DDTHH</c>, <c>YYYY-MM-DD</c>, <c>YYYY-MM</c>.</summary>
    public string Pattern => Grain switch
    {
        PartitionGrain.Hour => "YYYY-MM-DDTHH",
        PartitionGrain.Month => "YYYY-MM",
        _ => "YYYY-MM-DD",
    };

    /// <summary>A valid key of the grain, for messages.</summary>
    public string Example => Grain switch
    {
        PartitionGrain.Hour => "2013-05-03T14",
        PartitionGrain.Month => "2013-05",
        _ => "2013-05-03",
    };

    /// <summary>What one partition is, in words: hour, day, month.</summary>
    public string Unit => Grain switch
    {
        PartitionGrain.Hour => "hour",
        PartitionGrain.Month => "month",
        _ => "day",
    };

    private string Format => Grain switch
    {
        PartitionGrain.Hour => "yyyy-MM-dd'T'HH",
        PartitionGrain.Month => "yyyy-MM",
        _ => "yyyy-MM-dd",
    };

    public static bool TryParseGrain(string text, out PartitionGrain grain)
    {
        var index = Array.IndexOf(GrainNames, text.Trim());
        grain = index < 0 ? PartitionGrain.Day : (PartitionGrain)index;
        return index >= 0;
    }

    /// <summary>Whether the text is a key of this grain, exactly as written (<c>2013-5-3</c> is not a day).</summary>
    public bool TryParse(string? text, out DateTime start)
    {
        start = default;
        return IsPartitioned && DateTime.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out start);
    }

    public bool IsKey(string? text) => TryParse(text, out _);

    public string ToKey(DateTime start) => start.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary><paramref name="count"/> partitions after (or, when negative, before) the given start.</summary>
    public DateTime Add(DateTime start, int count) => Grain switch
    {
        PartitionGrain.Hour => start.AddHours(count),
        PartitionGrain.Month => start.AddMonths(count),
        _ => start.AddDays(count),
    };

    /// <summary>How many partitions of the grain lie from the first key to the last, both included.</summary>
    public long Span(string first, string last)
    {
        if (!TryParse(first, out var a) || !TryParse(last, out var b))
        {
            return 0;
        }

        return Grain switch
        {
            PartitionGrain.Hour => (long)(b - a).TotalHours + 1,
            PartitionGrain.Month => ((b.Year - a.Year) * 12L) + b.Month - a.Month + 1,
            _ => (long)(b - a).TotalDays + 1,
        };
    }

    /// <summary>Whether a file of a partition folder is raw data by <see cref="Files"/>.</summary>
    public bool Matches(ReadOnlySpan<char> fileName, bool ignoreCase) => FileSystemName.MatchesSimpleExpression(Files, fileName, ignoreCase);

    /// <summary>Explains why a value is not a key of the grain, for argument errors: a key of another grain says which.</summary>
    public string Explain(string text)
    {
        foreach (var grain in (PartitionGrain[])[PartitionGrain.Hour, PartitionGrain.Day, PartitionGrain.Month])
        {
            var other = this with { Grain = grain };
            if (grain != Grain && other.IsKey(text))
            {
                return $"'{text}' is {(grain == PartitionGrain.Hour ? "an" : "a")} {other.Unit}, but this pipeline's partitions are {Unit}s (partitions: grain: {GrainName})";
            }
        }

        return Grain switch
        {
            PartitionGrain.Day => PartitionDates.Explain(text),
            PartitionGrain.Hour => $"'{text}' is not an hour in the form {Pattern}",
            _ => $"'{text}' is not a month in the form {Pattern}",
        };
    }
}
