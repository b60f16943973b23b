using System.Text.Json;
using Cairn.Stages;
using CsvHelper;
using Microsoft.Build.Framework;

namespace Cairn.Pipelines.Weather;

/// <summary>
/// The Report stage: writes report.md with the model's metrics and coefficients, the data-quality counts of
/// the Validate stage, the training and holdout split, the pipeline DAG as a mermaid flowchart, and the
/// partitions that had rows quarantined.
/// </summary>
/// <remarks>Errors: CAIRN6001 an input file cannot be read; CAIRN6002 a DAG edge is not "From->To".</remarks>
[StageVersion("1")] // Rendering lives in ReportMarkdown, which the IL hash of this class cannot see: bump on a change there.
public sealed class WeatherReport : Microsoft.Build.Utilities.Task
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

    /// <summary>Where report.md is written.</summary>
    [Required]
    [StageOutput]
    public string Report { get; set; } = string.Empty;

    public override bool Execute()
    {
        var edges = ParseEdges();
        var model = ReadJson<RainModel>(Model, "model.json", "Train");
        if (model?.Inconsistency() is { } inconsistency)
        {
            Log.LogCoded("CAIRN6001", $"model.json file '{Model}' cannot be used: {inconsistency}; re-run the Train stage to write it again");
        }

        var metrics = ReadJson<RainMetrics>(Metrics, "metrics.json", "Evaluate");
        var profiles = new List<PartitionProfile>();
        foreach (var item in Profiles)
        {
            if (ReadJson<PartitionProfile>(item.ItemSpec, "profile", "Validate") is { } profile)
            {
                profiles.Add(profile);
            }
        }

        var quarantined = Quarantine
            .Select(item => new QuarantinedPartition(PartitionOf(item), CountQuarantined(item.ItemSpec)))
            .Where(partition => partition.Rows > 0)
            .OrderBy(partition => partition.Partition, StringComparer.Ordinal)
            .ToArray();
        if (Log.HasLoggedErrors || model is null || metrics is null)
        {
            return false;
        }

        var inputs = new ReportInputs(
            model,
            metrics,
            profiles.Count,
            profiles.Sum(profile => profile.Rows),
            profiles.Sum(profile => profile.RowsWithViolations),
            quarantined,
            edges);
        OutputText.Write(Report, ReportMarkdown.Render(inputs));
        return !Log.HasLoggedErrors;
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
                Log.LogCoded("CAIRN6002", $"DAG edge '{text}' is not 'From->To' with stage names of letters, digits and '_'; the engine passes DagEdges from the pipeline's stage dependencies, so check the stage names there");
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

        Log.LogCoded("CAIRN6001", $"{what} file '{path}' cannot be read: {problem}; re-run the {stage} stage to write it again");
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

        Log.LogCoded("CAIRN6001", $"quarantine file '{path}' cannot be read: {problem}; re-run the stage that writes it");
        return 0;
    }
}
