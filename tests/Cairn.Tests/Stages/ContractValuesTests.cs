using System.Globalization;
using Cairn.Stages.Contracts;

namespace Cairn.Tests.Stages;

/// <summary>
/// The hand-written parsers behind the contract types: numbers, integers and dates read exactly what the .NET parsers
/// they stand in for read (checked on many generated texts), and timestamps follow the grammar the contract documents.
/// </summary>
public sealed class ContractValuesTests
{
    private const NumberStyles NumberStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    [Fact]
    public void Numbers_parse_to_the_same_double_as_double_parse()
    {
        foreach (var text in Texts("0123456789.-+e ,", 200_000, 22).Concat(["-0", "0.1", ".5", "5.", "1e3", "123456789012345.6", "1234567890123456", "00.10", "9007199254740993", "1E-06", "NaN", "∞"]))
        {
            var expected = double.TryParse(text, NumberStyle, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number);

            ContractValues.TryParseNumber(text, out var actual).ShouldBe(expected, text);
            if (expected)
            {
                BitConverter.DoubleToInt64Bits(actual).ShouldBe(BitConverter.DoubleToInt64Bits(number), text);
            }
        }
    }

    [Fact]
    public void Integers_parse_as_long_parse_does()
    {
        foreach (var text in Texts("0123456789-+ ", 100_000, 21).Concat(["9223372036854775807", "9223372036854775808", "-9223372036854775808", "１２", "\u221212"]))
        {
            var expected = long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number);

            ContractValues.TryParseInteger(text, out var actual).ShouldBe(expected, text);
            actual.ShouldBe(number, text);
        }
    }

    [Fact]
    public void Dates_parse_as_date_only_parse_exact_does()
    {
        var random = new Random(11);
        var texts = Enumerable.Range(0, 100_000).Select(_ =>
        {
            var day = DateOnly.FromDayNumber(random.Next(DateOnly.MaxValue.DayNumber + 1)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture).ToCharArray();
            day[random.Next(day.Length)] = "0123456789-/ x"[random.Next(14)];
            return new string(day);
        });
        foreach (var text in texts.Concat(["2012-02-29", "2013-02-29", "0000-01-01", "2012-1-02", "２０１２-01-02", "2012-01-02 "]))
        {
            var expected = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date);

            ContractValues.TryParseDate(text, out var actual).ShouldBe(expected, text);
            actual.ShouldBe(date, text);
        }
    }

    [Theory]
    [InlineData("2013-05-03T05:00:00", "2013-05-03T05:00:00.0000000", DateTimeKind.Unspecified)]
    [InlineData("2013-05-03 05:00:00", "2013-05-03T05:00:00.0000000", DateTimeKind.Unspecified)]
    [InlineData("2013-05-03T05:00:00Z", "2013-05-03T05:00:00.0000000Z", DateTimeKind.Utc)]
    [InlineData("2013-05-03T05:00:00.5", "2013-05-03T05:00:00.5000000", DateTimeKind.Unspecified)]
    [InlineData("2013-05-03T05:00:00.1234567Z", "2013-05-03T05:00:00.1234567Z", DateTimeKind.Utc)]
    [InlineData("2013-05-03T05:00:00+02:00", "2013-05-03T03:00:00.0000000Z", DateTimeKind.Utc)]
    [InlineData("2013-05-03T05:00:00-0130", "2013-05-03T06:30:00.0000000Z", DateTimeKind.Utc)]
    [InlineData("2013-05-03T05:00:00+14:00", "2013-05-02T15:00:00.0000000Z", DateTimeKind.Utc)]
    public void Timestamps_in_the_documented_forms_parse(string text, string expected, DateTimeKind kind)
    {
        ContractValues.TryParseTimestamp(text, out var timestamp).ShouldBeTrue();

        timestamp.ToString("O", CultureInfo.InvariantCulture).ShouldBe(expected);
        timestamp.Kind.ShouldBe(kind);
    }

    [Theory]
    [InlineData("2013-05-03T05:00:00.12345678")]
    [InlineData("2013-05-03T05:00:00.")]
    [InlineData("2013-05-03T24:00:00")]
    [InlineData("2013-05-03T5:00:00")]
    [InlineData("2013-05-03T05:00")]
    [InlineData("2013-05-03t05:00:00")]
    [InlineData("2013-05-03T05:00:00z")]
    [InlineData("2013-05-03T05:00:00 Z")]
    [InlineData("2013-05-03T05:00:00+02")]
    [InlineData("2013-05-03T05:00:00+15:00")]
    [InlineData("2013-02-30T05:00:00")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("2013-05-03")]
    public void Other_timestamps_do_not_parse(string text) => ContractValues.TryParseTimestamp(text, out _).ShouldBeFalse();

    [Fact]
    public void Timestamps_are_written_so_that_they_read_back_exactly()
    {
        var random = new Random(5);
        for (var i = 0; i < 10_000; i++)
        {
            var ticks = random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks);
            var value = new DateTime(i % 3 == 0 ? ticks - (ticks % TimeSpan.TicksPerSecond) : ticks, i % 2 == 0 ? DateTimeKind.Utc : DateTimeKind.Unspecified);

            ContractValues.TryParseTimestamp(ContractValues.FormatTimestamp(value), out var back).ShouldBeTrue(ContractValues.FormatTimestamp(value));
            (back.Ticks, back.Kind).ShouldBe((value.Ticks, value.Kind));
        }

        ContractValues.FormatTimestamp(new DateTime(2013, 5, 3, 5, 17, 0, DateTimeKind.Utc).AddTicks(120)).ShouldBe("2013-05-03T05:17:00.000012Z");
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("FALSE", true)]
    [InlineData("True", true)]
    [InlineData("yes", false)]
    [InlineData("1", false)]
    [InlineData(" true", false)]
    public void Booleans_are_true_or_false_in_any_letter_case(string text, bool parses) =>
        ContractValues.TryParseBoolean(text, out _).ShouldBe(parses);

    /// <summary>Random short texts over an alphabet: mostly well-formed-looking, some not.</summary>
    private static IEnumerable<string> Texts(string alphabet, int count, int maxLength)
    {
        var random = new Random(count);
        var digits = "0123456789";
        for (var i = 0; i < count; i++)
        {
            var length = random.Next(1, maxLength);
            var chars = new char[length];
            for (var j = 0; j < length; j++)
            {
                chars[j] = random.Next(4) == 0 ? alphabet[random.Next(alphabet.Length)] : digits[random.Next(digits.Length)];
            }

            yield return new string(chars);
        }
    }
}
