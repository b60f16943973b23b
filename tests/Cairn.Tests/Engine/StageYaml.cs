using System.Globalization;
using System.Text;

namespace Cairn.Tests.Engine;

/// <summary>One stage of a <see cref="PipelineYaml"/>: how it is partitioned, its inputs, outputs and parameters, its retry policy and timeout.</summary>
internal sealed class StageYaml
{
    private readonly List<(string Property, string[] Paths)> _inputs = [];
    private readonly List<(string Property, string Path)> _outputs = [];
    private readonly List<(string Name, string Value)> _parameters = [];
    private readonly List<string> _lines = [];
    private bool _partitioned;

    public StageYaml Partitioned()
    {
        _partitioned = true;
        return this;
    }

    /// <summary>A partitioned <see cref="TestStages.TestStage"/> reading each day's <c>{raw}/date={date}/part.csv</c>, told its day.</summary>
    public StageYaml CopiesEachDay(string output) =>
        Partitioned().Input("Input", "{raw}/date={date}/part.csv").Output("Output", output).Parameter("Partition", "{date}");

    public StageYaml Input(string property, params string[] paths)
    {
        _inputs.Add((property, paths));
        return this;
    }

    public StageYaml Output(string property, string path)
    {
        _outputs.Add((property, path));
        return this;
    }

    public StageYaml Parameter(string name, object value)
    {
        _parameters.Add((name, Convert.ToString(value, CultureInfo.InvariantCulture)!));
        return this;
    }

    /// <summary>The stage's retry policy: attempts in all, the base delay, and optionally the maximum delay, the error codes that retry, and the parameter varied per attempt (<c>seed: 1</c>).</summary>
    public StageYaml Retry(int attempts, string delay, string? maxDelay = null, string[]? on = null, string? vary = null)
    {
        _lines.Add("retry:");
        _lines.Add(string.Create(CultureInfo.InvariantCulture, $"  attempts: {attempts}"));
        _lines.Add($"  delay: {delay}");
        if (maxDelay is not null)
        {
            _lines.Add($"  max_delay: {maxDelay}");
        }

        if (on is not null)
        {
            _lines.Add($"  on: [{string.Join(", ", on)}]");
        }

        if (vary is not null)
        {
            _lines.Add("  vary:");
            _lines.Add($"    {vary}");
        }

        return this;
    }

    /// <summary>The error codes that stop the stage at a gate a person may open (<c>review_on:</c>).</summary>
    public StageYaml ReviewOn(params string[] codes)
    {
        _lines.Add($"review_on: [{string.Join(", ", codes)}]");
        return this;
    }

    public StageYaml Publish(string to, int? keep = null)
    {
        _lines.Add("publish:");
        _lines.Add($"  to: {to}");
        if (keep is { } count)
        {
            _lines.Add(string.Create(CultureInfo.InvariantCulture, $"  keep: {count}"));
        }

        return this;
    }

    /// <summary>The window a whole-dataset stage reads (<c>reads: all | selection | last N days</c>).</summary>
    public StageYaml Reads(string window)
    {
        _lines.Add($"reads: {window}");
        return this;
    }

    public StageYaml Timeout(string duration)
    {
        _lines.Add($"timeout: {duration}");
        return this;
    }

    public void WriteTo(StringBuilder text)
    {
        if (_partitioned)
        {
            text.Append("    partitioned: true\n");
        }

        if (_inputs.Count > 0)
        {
            text.Append("    inputs:\n");
            foreach (var (property, paths) in _inputs)
            {
                text.Append(paths.Length == 1
                    ? $"      {property}: {Quoted(paths[0])}\n"
                    : $"      {property}:\n" + string.Concat(paths.Select(p => $"        - {Quoted(p)}\n")));
            }
        }

        if (_outputs.Count > 0)
        {
            text.Append("    outputs:\n");
            foreach (var (property, path) in _outputs)
            {
                text.Append(CultureInfo.InvariantCulture, $"      {property}: {Quoted(path)}\n");
            }
        }

        if (_parameters.Count > 0)
        {
            text.Append("    parameters:\n");
            foreach (var (name, value) in _parameters)
            {
                text.Append(CultureInfo.InvariantCulture, $"      {name}: {Quoted(value)}\n");
            }
        }

        foreach (var line in _lines)
        {
            text.Append("    ").Append(line).Append('\n');
        }
    }

    private static string Quoted(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
