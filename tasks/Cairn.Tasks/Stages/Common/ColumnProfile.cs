using System.Globalization;
using System.Text.Json;
using Cairn.Stages.Contracts;

namespace Cairn.Stages.Common;

/// <summary>Accumulates one contract column's profile: nulls, violations and statistics of the values that parse.</summary>
internal sealed class ColumnProfile(ContractColumn column)
{
    private readonly SortedDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private long _nulls;
    private long _violations;
    private long _parsed;
    private double _sum;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;
    private DateOnly _firstDate = DateOnly.MaxValue;
    private DateOnly _lastDate = DateOnly.MinValue;

    public ContractColumn Column => column;

    /// <summary>Adds one value; <paramref name="violates"/> says whether the contract rejected it.</summary>
    public void Add(string value, bool violates)
    {
        if (violates)
        {
            _violations++;
        }

        if (ContractValues.IsNull(value))
        {
            _nulls++;
            return;
        }

        switch (column.Type)
        {
            case ContractColumnType.Number when ContractValues.TryParseNumber(value, out var number):
                AddNumber(number);
                break;
            case ContractColumnType.Integer when ContractValues.TryParseInteger(value, out var integer):
                AddNumber(integer);
                break;
            case ContractColumnType.Date when ContractValues.TryParseDate(value, out var date):
                _parsed++;
                _firstDate = date < _firstDate ? date : _firstDate;
                _lastDate = date > _lastDate ? date : _lastDate;
                break;
            case ContractColumnType.Category:
                _counts[value] = _counts.GetValueOrDefault(value) + 1;
                break;
            default:
                // A string column has no statistics; a value that does not parse counts only as a violation.
                break;
        }
    }

    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject(column.Name);
        json.WriteString("type", column.Type.ToString().ToLowerInvariant());
        json.WriteNumber("nulls", _nulls);
        json.WriteNumber("violations", _violations);
        switch (column.Type)
        {
            case ContractColumnType.Number or ContractColumnType.Integer:
                WriteNumberOrNull(json, "min", _min);
                WriteNumberOrNull(json, "max", _max);
                WriteNumberOrNull(json, "mean", _parsed == 0 ? double.NaN : _sum / _parsed);
                break;
            case ContractColumnType.Date:
                WriteDateOrNull(json, "min", _firstDate);
                WriteDateOrNull(json, "max", _lastDate);
                break;
            case ContractColumnType.Category:
                json.WriteStartObject("counts");
                foreach (var (value, count) in _counts)
                {
                    json.WriteNumber(value, count);
                }

                json.WriteEndObject();
                break;
            default:
                break;
        }

        json.WriteEndObject();
    }

    private void AddNumber(double value)
    {
        _parsed++;
        _sum += value;
        _min = Math.Min(_min, value);
        _max = Math.Max(_max, value);
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

    private void WriteDateOrNull(Utf8JsonWriter json, string name, DateOnly value)
    {
        if (_parsed == 0)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value.ToString(ContractValues.DateFormat, CultureInfo.InvariantCulture));
        }
    }
}
