using System.Text.Json;
using Cairn.Pipelines.Weather.Charts;
using Cairn.Stages;
using CsvHelper;
using Microsoft.Build.Framework;

namespace Cairn.Pipelines.Weather;

/// <summary>
/// The Report stage: writes report.md with the model's metrics and coefficients, the data-quality counts of
/// the Validate stage, the training and holdout split, the pipeline DAG as a mermaid flowchart coloured by what the
/// run that built the report did, and the partitions that had rows quarantined; and, when their outputs are bound,
/// SVG charts of the rows per month and of the metrics of every model built in the workspace (kept in a history
/// file the stage adds to). report.md links a chart by its file name: bind the charts beside the report.
/// </summary>
/// <remarks>
/// Errors: CAIRN6001 an input file cannot be read; CAIRN6002 a DAG edge is not "From->To"; CAIRN6003 a stage state
/// is not "Stage=state"; CAIRN6004 the metrics history is not one this stage wrote.
/// </remarks>
[StageVersion("2")] // Rendering lives in ReportMarkdown and Charts/, which the IL hash of this class cannot see: bump on a change there.
public sealed class WeatherReport : StageTask
{
    /// <summary>Item metadata naming an input's partition; without it, the name of the file's folder is used.</summary>
    public const string PartitionMetadata = "Partition";

    // The quarantine files are written by a stage of this pipeline as plain comma-separated text.
    private static readonly CsvReaderOptions QuarantineCsv = new() { Separator = ',' };

    /// <summary>metrics.json written by <see cref="EvaluateRainModel"/>.</summary>
    [Required]
    [StageInput]
    public string Metrics { get; set; } = string.Empty;

    /// <summary>model.json written by <see cref="TrainRainModel"/>.</summary>
    [Required]
    [StageInput]
    public string Model { get; set; } = string.Empty;

    /// <summary>Per-partition profile JSON files (<c>rows</c>, <c>rows_with_violations</c>).</summary>
    [StageInput]
    public ITaskItem[] Profiles { get; set; } = [];

    /// <summary>Per-partition quarantine CSV files: a header and one record per quarantined row.</summary>
    [StageInput]
    public ITaskItem[] Quarantine { get; set; } = [];

    /// <summary>The pipeline's dependencies as "From->To", in the order the report draws them.</summary>
    [StageParameter]
    public string[] DagEdges { get; set; } = [];

    /// <summary>
    /// What each stage did in the run that builds the report (<c>{run}</c>: <c>Stage=ran 3/366</c>, <c>skipped 0/1</c>,
    /// <c>running</c>, <c>pending</c>…), for the DAG's colours. The engine keeps it out of the fingerprint.
    /// </summary>
    [StageParameter]
    public string[] StageStates { get; set; } = [];

    /// <summary>Where report.md is written.</summary>
    [Required]
    [StageOutput]
    public string Report { get; set; } = string.Empty;

    /// <summary>Where the chart of rows and quarantined rows per month (SVG) is written; none when empty.</summary>
    [StageOutput]
    public string RowsChart { get; set; } = string.Empty;

    /// <summary>The metrics history (CSV): the stage adds the current model when it differs from the last one.</summary>
    [StageOutput(Accumulates = true)]
    public string MetricsHistory { get; set; } = string.Empty;

    /// <summary>Where the chart of the history's metrics (SVG) is written; none when empty.</summary>
    [StageOutput]
    public string MetricsChart { get; set; } = string.Empty;

    public override bool Execute()
    {
        var edges = ParseEdges();
        var model = ReadJson<RainModel>(Model, "model.json", "Train");
        if (model?.Inconsistency() is { } inconsistency)
        {
            LogCodedError("CAIRN6001", $"model.json file '{Model}' cannot be used: {inconsistency}; re-run the Train stage to write it again");
        }

        var metrics = ReadJson<RainMetrics>(Metrics, "metrics.json", "Evaluate");
        var profiles = new List<(string Partition, PartitionProfile Profile)>();
        foreach (var item in Profiles)
        {
            if (ReadJson<PartitionProfile>(item.ItemSpec, "profile", "Validate") is { } profile)
            {
                profiles.Add((PartitionOf(item), profile));
            }
        }

        var quarantined = Quarantine
            .Select(item => new QuarantinedPartition(PartitionOf(item), CountQuarantined(item.ItemSpec)))
            .Where(partition => partition.Rows > 0)
            .OrderBy(partition => partition.Partition, StringComparer.Ordinal)
            .ToArray();
        var states = ParseStates();
        IReadOnlyList<MetricsHistoryEntry>? history = string.IsNullOrEmpty(MetricsHistory) ? [] : ReadHistory();
        if (Log.HasLoggedErrors || model is null || metrics is null || history is null)
        {
            return false;
        }

        history = Charts.MetricsHistory.With(history, metrics, model);
        var inputs = new ReportInputs(
            model,
            metrics,
            profiles.Count,
            profiles.Sum(p => p.Profile.Rows),
            profiles.Sum(p => p.Profile.RowsWithViolations),
            quarantined,
            edges)
        {
            States = states,
            History = history,
            RowsChartFile = FileNameOf(RowsChart),
            MetricsChartFile = FileNameOf(MetricsChart),
            HistoryFile = FileNameOf(MetricsHistory),
        };
        if (!string.IsNullOrEmpty(RowsChart))
        {
            OutputText.Write(RowsChart, MonthlyRowsChart.Render(MonthRows.Group(profiles.Select(p => (p.Partition, p.Profile.Rows)), quarantined)));
        }

        if (!string.IsNullOrEmpty(MetricsHistory))
        {
            OutputText.Write(MetricsHistory, Charts.MetricsHistory.Render(history));
        }

        if (!string.IsNullOrEmpty(MetricsChart))
        {
            OutputText.Write(MetricsChart, MetricsHistoryChart.Render(history, metrics.Thresholds));
        }

        OutputText.Write(Report, ReportMarkdown.Render(inputs));
        return !Log.HasLoggedErrors;
    }

    private static string? FileNameOf(string path) => string.IsNullOrEmpty(path) ? null : Path.GetFileName(path);

    private StageRunState[] ParseStates()
    {
        var states = new List<StageRunState>();
        foreach (var text in StageStates)
        {
            if (StageRunState.TryParse(text, out var state))
            {
                states.Add(state);
            }
            else
            {
                LogCodedError("CAIRN6003", $"stage state '{text}' is not 'Stage=state' with a state of ran, skipped, failed, running or pending; bind StageStates to {{run}} in the pipeline file and the engine passes it");
            }
        }

        return [.. states];
    }

    private IReadOnlyList<MetricsHistoryEntry>? ReadHistory()
    {
        string? problem;
        try
        {
            var history = Charts.MetricsHistory.Read(MetricsHistory, out problem);
            if (history is not null)
            {
                return history;
            }
        }
        catch (IOException e)
        {
            problem = e.Message.TrimEnd('.');
        }
        catch (UnauthorizedAccessException e)
        {
            problem = e.Message.TrimEnd('.');
        }

        LogCodedError("CAIRN6004", $"the metrics history '{MetricsHistory}' cannot be read: {problem}; delete it to start a new history");
        return null;
    }

    private static string PartitionOf(ITaskItem item)
    {
        var partition = item.GetMetadata(PartitionMetadata);
        return string.IsNullOrEmpty(partition)
            ? Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(item.ItemSpec))) ?? item.ItemSpec
            : partition;
    }

    private DagEdge[] ParseEdges()
    {
        var edges = new List<DagEdge>();
        foreach (var text in DagEdges)
        {
            if (DagEdge.TryParse(text, out var edge))
            {
                edges.Add(edge);
            }
            else
            {
                LogCodedError("CAIRN6002", $"DAG edge '{text}' is not 'From->To' with stage names of letters, digits and '_'; the engine passes DagEdges from the pipeline's stage dependencies, so check the stage names there");
            }
        }

        return [.. edges];
    }

    private T? ReadJson<T>(string path, string what, string stage)
        where T : class
    {
        string problem;
        try
        {
            return ModellingJson.Read<T>(path);
        }
        catch (JsonException e)
        {
            problem = e.Message.TrimEnd('.');
        }
        catch (IOException e)
        {
            problem = e.Message.TrimEnd('.');
        }
        catch (UnauthorizedAccessException e)
        {
            problem = e.Message.TrimEnd('.');
        }

        LogCodedError("CAIRN6001", $"{what} file '{path}' cannot be read: {problem}; re-run the {stage} stage to write it again");
        return null;
    }

    private long CountQuarantined(string path)
    {
        string problem;
        try
        {
            using var csv = CsvReader.FromFile(path, QuarantineCsv);
            var rows = 0L;
            while (csv.Read())
            {
                rows++;
            }

            return rows;
        }
        catch (CsvFormatException e)
        {
            problem = e.Message.TrimEnd('.');
        }
        catch (IOException e)
        {
            problem = e.Message.TrimEnd('.');
        }
        catch (UnauthorizedAccessException e)
        {
            problem = e.Message.TrimEnd('.');
        }

        LogCodedError("CAIRN6001", $"quarantine file '{path}' cannot be read: {problem}; re-run the stage that writes it");
        return 0;
    }
}
