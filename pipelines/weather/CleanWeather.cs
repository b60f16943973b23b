using System.Globalization;
using System.Text.Json;
using Cairn.Stages;
using Cairn.Stages.Common;
using Cairn.Stages.Contracts;
using CsvHelper;
using Microsoft.Build.Framework;
using Task = Microsoft.Build.Utilities.Task;

namespace Cairn.Pipelines.Weather;

/// <summary>
/// Splits one day's ingested weather rows into model features and quarantine. A row with an ingest error or any
/// contract violation goes to quarantine with its reasons; no row is ever dropped silently. Good rows become
/// features with exactly the header <see cref="FeaturesHeader"/>.
/// </summary>
/// <remarks>
/// Features: <c>temp_range</c> = temp_max - temp_min; <c>doy_sin</c>/<c>doy_cos</c> = sin/cos(2π·(dayOfYear-1)/365.25);
/// <c>rain</c> = 1 when precipitation &gt; 0, else 0. Numbers are rounded to 6 decimals (to even) and written shortest
/// round-trip, invariant (<see cref="StageCsv.FormatNumber"/>), so "0.0" in the raw data is written "0".
/// Errors: CAIRN2000-2006 as <see cref="ContractedInput"/> logs them, CAIRN3001 missing or unreadable profile,
/// CAIRN3002 a contract that lacks a column the features need.
/// </remarks>
public sealed class CleanWeather : StageTask
{
    /// <summary>The features header the training stage reads.</summary>
    public const string FeaturesHeader = "date,precipitation,temp_max,temp_min,temp_range,wind,doy_sin,doy_cos,weather,rain";

    private static readonly (string Name, ContractColumnType Type)[] NeededColumns =
    [
        ("date", ContractColumnType.Date),
        ("precipitation", ContractColumnType.Number),
        ("temp_max", ContractColumnType.Number),
        ("temp_min", ContractColumnType.Number),
        ("wind", ContractColumnType.Number),
        ("weather", ContractColumnType.Category),
    ];

    /// <summary>The day's IngestCsv output.</summary>
    [Required]
    [StageInput]
    public string Input { get; set; } = string.Empty;

    /// <summary>The weather data contract (YAML).</summary>
    [Required]
    [StageInput(Contract = true)]
    public string Contract { get; set; } = string.Empty;

    /// <summary>ValidateContract's profile of <see cref="Input"/>. Only checked to exist and parse: taking it as an input makes cleaning run after validation.</summary>
    [Required]
    [StageInput]
    public string Profile { get; set; } = string.Empty;

    /// <summary>The partition's date, <c>yyyy-MM-dd</c>; a row dated otherwise is quarantined.</summary>
    [Required]
    [StageParameter]
    public string Partition { get; set; } = string.Empty;

    /// <summary>The features CSV to write (<see cref="FeaturesHeader"/>).</summary>
    [Required]
    [StageOutput]
    public string Features { get; set; } = string.Empty;

    /// <summary>The quarantine CSV to write: the contract's columns, <c>_source</c> and <c>reason</c>. Written even when empty.</summary>
    [Required]
    [StageOutput]
    public string Quarantine { get; set; } = string.Empty;

    /// <summary>How many rows the input has.</summary>
    [Output]
    [StageMetric]
    public long RowsIn { get; set; }

    /// <summary>How many rows became features.</summary>
    [Output]
    [StageMetric]
    public long RowsOut { get; set; }

    /// <summary>How many rows went to quarantine.</summary>
    [Output]
    [StageMetric]
    public long RowsQuarantined { get; set; }

    public override bool Execute()
    {
        // Every check runs before returning, so that one run reports every problem.
        var partitionIsDate = ContractedInput.TryParsePartition(Log, Partition, out var partition);
        CheckProfile();
        if (!ContractedInput.TryLoad(Log, Input, Contract, out var contract, out var table) || !partitionIsDate)
        {
            return false;
        }

        CheckNeededColumns(contract);
        if (Log.HasLoggedErrors)
        {
            return false;
        }

        Split(contract, table, partition);
        Log.LogMessage(
            MessageImportance.Normal,
            string.Create(CultureInfo.InvariantCulture, $"CleanWeather {Partition}: {RowsIn} rows in, {RowsOut} features, {RowsQuarantined} quarantined"));
        return !Log.HasLoggedErrors;
    }

    private void Split(DataContract contract, IngestedTable table, DateOnly partition)
    {
        var indexes = contract.IndexesIn(table.Columns);
        var contractOrder = contract.Columns.Select((column, i) => (column.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var needed = NeededColumns.Select(n => contractOrder[n.Name]).ToArray();
        using var features = StageCsv.OpenWriter(Features);
        using var quarantine = StageCsv.OpenWriter(Quarantine);
        features.WriteHeader(FeaturesHeader.Split(','));
        quarantine.WriteHeader([.. contract.Columns.Select(c => c.Name), IngestedTable.SourceColumn, "reason"]);
        foreach (var row in table.Rows)
        {
            ThrowIfCancelled();
            // An optional column the table lacks (accepted schema drift, absent before it appeared) reads as empty.
            var values = indexes.Select(i => i < 0 ? string.Empty : row.Values[i]).ToArray();

            // A row that could not be read cleanly (wrong field count, bad quoting) has values in the wrong columns,
            // so checking them against the contract would only add misleading reasons.
            IReadOnlyList<string> reasons = row.Error.Length > 0 ? [row.Error] : contract.CheckRow(values, partition);
            if (reasons.Count > 0)
            {
                foreach (var value in values)
                {
                    quarantine.WriteField(value);
                }

                quarantine.WriteField(row.Source);
                quarantine.WriteField(string.Join("; ", reasons));
                quarantine.EndRecord();
                RowsQuarantined++;
            }
            else
            {
                WriteFeatures(features, [.. needed.Select(i => values[i])]);
                RowsOut++;
            }
        }

        RowsIn = table.Rows.Count;
    }

    private static void WriteFeatures(CsvWriter writer, string[] values)
    {
        var date = ContractValues.TryParseDate(values[0], out var d) ? d : throw Unchecked(values[0]);
        var precipitation = Number(values[1]);
        var tempMax = Number(values[2]);
        var tempMin = Number(values[3]);
        var wind = Number(values[4]);
        var angle = 2 * Math.PI * (date.DayOfYear - 1) / 365.25;

        writer.WriteField(date.ToString(ContractValues.DateFormat, CultureInfo.InvariantCulture));
        writer.WriteField(StageCsv.FormatNumber(precipitation));
        writer.WriteField(StageCsv.FormatNumber(tempMax));
        writer.WriteField(StageCsv.FormatNumber(tempMin));
        writer.WriteField(StageCsv.FormatNumber(tempMax - tempMin));
        writer.WriteField(StageCsv.FormatNumber(wind));
        writer.WriteField(StageCsv.FormatNumber(Math.Sin(angle)));
        writer.WriteField(StageCsv.FormatNumber(Math.Cos(angle)));
        writer.WriteField(values[5]);
        writer.WriteField(precipitation > 0 ? "1" : "0");
        writer.EndRecord();
    }

    // Only rows that kept the contract get here, and CheckNeededColumns made sure it types these columns.
    private static double Number(string value) => ContractValues.TryParseNumber(value, out var number) ? number : throw Unchecked(value);

    private static InvalidOperationException Unchecked(string value) => new($"'{value}' passed the contract but does not parse");

    private void CheckProfile()
    {
        string? problem;
        try
        {
            using var profile = JsonDocument.Parse(File.ReadAllBytes(Profile));
            problem = profile.RootElement.ValueKind == JsonValueKind.Object && profile.RootElement.TryGetProperty("rows", out _)
                ? null
                : "is not a ValidateContract profile (it has no 'rows')";
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            problem = "does not exist";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot be read: {e.Message}";
        }
        catch (JsonException e)
        {
            problem = $"is not valid JSON: {e.Message}";
        }

        if (problem is not null)
        {
            LogCodedError("CAIRN3001", $"Profile {Profile} {problem}. Fix: run ValidateContract on {Input} first; CleanWeather takes its profile so that it runs only after validation.");
        }
    }

    private void CheckNeededColumns(DataContract contract)
    {
        foreach (var (name, type) in NeededColumns)
        {
            var column = contract.Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));
            var found = column is null ? "does not declare it" : column.Nullable ? $"declares it nullable {Word(column.Type)}" : $"declares it {Word(column.Type)}";
            if (column is null || column.Nullable || column.Type != type)
            {
                LogCodedError(
                    "CAIRN3002",
                    $"{contract.Path} must declare column '{name}' as a non-nullable {Word(type)} for CleanWeather's features, but it {found}. Fix: declare '{name}' with 'type: {Word(type)}' and 'nullable: false'.");
            }
        }
    }

    private static string Word(ContractColumnType type) => type.ToString().ToLowerInvariant();

}
