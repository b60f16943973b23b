using System.Text.Json;
using Cairn.Stages.Contracts;
using Cairn.Stages.Tables;

namespace Cairn.Stages.Common;

/// <summary>
/// Checks one contract column's values, batch by batch, and accumulates its profile: nulls, violations and
/// statistics of the values that parse. A text value is parsed as the contract's type; a typed Parquet value (which
/// <see cref="Fits"/> the contract's type) is checked as it is.
/// </summary>
internal sealed class ColumnProfile
{
    private readonly ContractColumn _column;
    private readonly Dictionary<string, CategoryTally> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CategoryTally>.AlternateLookup<ReadOnlySpan<char>> _countsBySpan;
    private long _nulls;
    private long _violations;
    private long _parsed;
    private double _sum;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;
    private DateOnly _firstDate = DateOnly.MaxValue;
    private DateOnly _lastDate = DateOnly.MinValue;
    private DateTime _firstTime = DateTime.MaxValue;
    private DateTime _lastTime = DateTime.MinValue;

    public ColumnProfile(ContractColumn column)
    {
        _column = column;
        _countsBySpan = _counts.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public ContractColumn Column => _column;

    /// <summary>How many values broke the column's rules so far.</summary>
    public long Violations => _violations;

    /// <summary>How many non-empty values parsed as the column's type so far.</summary>
    public long Parsed => _parsed;

    /// <summary>Whether a column of <paramref name="kind"/> can hold the contract type's values: text always, a typed column of the matching type.</summary>
    public static bool Fits(ContractColumnType type, ColumnKind kind) => kind == ColumnKind.Text || (type, kind) switch
    {
        (ContractColumnType.Integer, ColumnKind.Integer) => true,
        (ContractColumnType.Number, ColumnKind.Integer or ColumnKind.Number or ColumnKind.Decimal) => true,
        (ContractColumnType.Date, ColumnKind.Date) => true,
        (ContractColumnType.Timestamp, ColumnKind.Timestamp) => true,
        (ContractColumnType.Boolean, ColumnKind.Boolean) => true,
        _ => false,
    };

    /// <summary>Checks rows 0 to <paramref name="count"/> of <paramref name="values"/>, marking each row that breaks the contract in <paramref name="violates"/>.</summary>
    public void Check(TableColumn values, int count, PartitionSpan? partition, bool[] violates)
    {
        for (var row = 0; row < count; row++)
        {
            bool ok;
            if (values.IsNull(row))
            {
                _nulls++;
                ok = _column.Nullable;
            }
            else
            {
                ok = values switch
                {
                    TextColumn text => CheckText(text.Span(row), partition),
                    DateColumn dates => CheckDate(dates.Values[row], partition),
                    TimestampColumn times => AddTime(times.Values[row]),
                    BooleanColumn booleans => Count(booleans.Values[row] ? "true" : "false"),
                    _ => CheckNumber(values.Number(row)),
                };
            }

            if (!ok)
            {
                _violations++;
                violates[row] = true;
            }
        }
    }

    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject(_column.Name);
        json.WriteString("type", _column.Type.ToString().ToLowerInvariant());
        json.WriteNumber("nulls", _nulls);
        json.WriteNumber("violations", _violations);
        switch (_column.Type)
        {
            case ContractColumnType.Number or ContractColumnType.Integer:
                WriteNumberOrNull(json, "min", _min);
                WriteNumberOrNull(json, "max", _max);
                WriteNumberOrNull(json, "mean", _parsed == 0 ? double.NaN : _sum / _parsed);
                break;
            case ContractColumnType.Date:
                WriteTextOrNull(json, "min", _parsed == 0 ? null : ContractValues.FormatDate(_firstDate));
                WriteTextOrNull(json, "max", _parsed == 0 ? null : ContractValues.FormatDate(_lastDate));
                break;
            case ContractColumnType.Timestamp:
                WriteTextOrNull(json, "min", _parsed == 0 ? null : ContractValues.FormatTimestamp(_firstTime));
                WriteTextOrNull(json, "max", _parsed == 0 ? null : ContractValues.FormatTimestamp(_lastTime));
                break;
            case ContractColumnType.Category or ContractColumnType.Boolean:
                json.WriteStartObject("counts");
                foreach (var (value, tally) in _counts.OrderBy(c => c.Key, StringComparer.Ordinal))
                {
                    json.WriteNumber(value, tally.Count);
                }

                json.WriteEndObject();
                break;
            default:
                break;
        }

        json.WriteEndObject();
    }

    /// <summary>Parses a non-empty text value as the contract's type; the same rules as <see cref="ContractColumn.Check(string, DateOnly?)"/>.</summary>
    private bool CheckText(ReadOnlySpan<char> value, PartitionSpan? partition)
    {
        switch (_column.Type)
        {
            case ContractColumnType.Number when ContractValues.TryParseNumber(value, out var number):
                return CheckNumber(number);
            case ContractColumnType.Integer when ContractValues.TryParseInteger(value, out var integer):
                return CheckNumber(integer);
            case ContractColumnType.Date when ContractValues.TryParseDate(value, out var date):
                return CheckDate(date, partition);
            case ContractColumnType.Timestamp when ContractValues.TryParseTimestamp(value, out var time):
                return AddTime(time);
            case ContractColumnType.Boolean when ContractValues.TryParseBoolean(value, out var boolean):
                return Count(boolean ? "true" : "false");
            case ContractColumnType.Category:
                // Counted whether allowed or not: the counts show what the data holds.
                return Count(value);
            case ContractColumnType.String:
                return true;
            default:
                // A value that does not parse has no statistics; it counts only as a violation.
                return false;
        }
    }

    private bool CheckNumber(double value)
    {
        if (!double.IsFinite(value))
        {
            return false;
        }

        _parsed++;
        _sum += value;
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
        return _column.InRange(value);
    }

    private bool CheckDate(DateOnly date, PartitionSpan? partition)
    {
        _parsed++;
        _firstDate = date < _firstDate ? date : _firstDate;
        _lastDate = date > _lastDate ? date : _lastDate;
        return _column.InPartition(date, partition);
    }

    private bool AddTime(DateTime time)
    {
        _parsed++;
        _firstTime = time < _firstTime ? time : _firstTime;
        _lastTime = time > _lastTime ? time : _lastTime;
        return true;
    }

    /// <summary>Counts a category or boolean value; returns whether the contract allows it (decided once per distinct value).</summary>
    private bool Count(ReadOnlySpan<char> value)
    {
        if (!_countsBySpan.TryGetValue(value, out var tally))
        {
            tally = new CategoryTally(_column.Type != ContractColumnType.Category || _column.IsAllowed(value));
            _countsBySpan[value] = tally;
        }

        tally.Count++;
        return tally.Allowed;
    }

    private void WriteNumberOrNull(Utf8JsonWriter json, string name, double value)
    {
        if (_parsed == 0)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteNumber(name, StageCsv.Round(value));
        }
    }

    private static void WriteTextOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
