using System.Globalization;
using Cairn.Pipelines.Weather;
using Cairn.Tests.Support;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Cairn.Tests.Modelling;

/// <summary>A small fixed set of report inputs written as real files: model, metrics, profiles, quarantine files and DAG edges.</summary>
internal sealed class ReportFixture
{
    public static readonly string[] Edges =
    [
        "Ingest->Validate",
        "Validate->Clean",
        "Clean->Features",
        "Features->Train",
        "Features->Evaluate",
        "Train->Evaluate",
        "Evaluate->Report",
        "Validate->Report",
    ];

    public ReportFixture(TestEnvironment env, int quarantinedPartitions = 25)
    {
        Model = env.WriteFile("inputs/model.json", ModellingJson.Serialize(new RainModel
        {
            Kind = RainModel.LogisticRegression,
            Label = "rain",
            Features = ["temp_max", "wind"],
            Means = [15.8446061644, 3.2315068493],
            Stds = [7.2128064629, 1.4750320835],
            Intercept = -0.4640611162,
            Coefficients = [-1.2571141785, 0.4653420438],
            Iterations = 6,
            Converged = true,
            TrainingRows = 48,
            TrainingDates = new DateRange { From = new DateOnly(2015, 1, 1), To = new DateOnly(2015, 2, 17), Dates = 48 },
            Parameters = new RainModelParameters { L2 = 1, MaxIterations = 50, Tolerance = 1e-8, Seed = 42, HoldoutFraction = 0.2, MinTrainingRows = 30 },
        }));
        Metrics = env.WriteFile("inputs/metrics.json", ModellingJson.Serialize(new RainMetrics
        {
            Accuracy = 0.75,
            Auc = 0.812345,
            LogLoss = 0.55,
            Rows = 12,
            Positives = 5,
            HoldoutDates = new DateRange { From = new DateOnly(2015, 2, 18), To = new DateOnly(2015, 3, 1), Dates = 12 },
            HoldoutFraction = 0.2,
            Thresholds = new MetricThresholds { MinAccuracy = 0.72, MinAuc = 0.8, MaxLogLoss = 0.52 },
        }));
        Profiles = Enumerable.Range(0, 60)
            .Select(day => Item(env.WriteFile(
                Path.Combine("profiles", Partition(day), "profile.json"),
                $$"""{"rows":1,"rows_with_violations":{{(day % 7 == 0 ? 1 : 0)}},"columns":[{"name":"wind","nulls":0}]}""" + "\n")))
            .ToArray();
        Quarantine = Enumerable.Range(0, 60)
            .Select(day => Item(env.WriteFile(
                Path.Combine("quarantine", Partition(day), "quarantine.csv"),
                "date,column,reason\n" + (day < quarantinedPartitions ? QuarantinedRows(day) : string.Empty))))
            .ToArray();
    }

    public string Model { get; }

    public string Metrics { get; }

    public ITaskItem[] Profiles { get; }

    public ITaskItem[] Quarantine { get; }

    /// <summary>What each stage did in the run that builds the report, as the engine passes <c>{run}</c>.</summary>
    public static readonly string[] States =
    [
        "Ingest=ran 1/60",
        "Validate=ran 1/60",
        "Clean=skipped 0/60",
        "Features=ran 1/1",
        "Train=ran 1/1",
        "Evaluate=ran 1/1",
        "Report=running",
    ];

    /// <summary>The Report stage with every input and output bound; the charts and the history beside the report.</summary>
    public WeatherReport Task(RecordingBuildEngine engine, string report) => new()
    {
        BuildEngine = engine,
        Model = Model,
        Metrics = Metrics,
        Profiles = Profiles,
        Quarantine = Quarantine,
        DagEdges = Edges,
        StageStates = States,
        Report = report,
        RowsChart = Path.Combine(Path.GetDirectoryName(report)!, "rows-per-month.svg"),
        MetricsChart = Path.Combine(Path.GetDirectoryName(report)!, "metrics-history.svg"),
        MetricsHistory = Path.Combine(Path.GetDirectoryName(report)!, "metrics-history.csv"),
    };

    /// <summary>One quarantined row, two on every third day; a quoted reason may hold a comma or a line break.</summary>
    private static string QuarantinedRows(int day) =>
        string.Create(CultureInfo.InvariantCulture, $"{DateOf(day):yyyy-MM-dd},wind,\"below 0, impossible\"\n")
        + (day % 3 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{DateOf(day):yyyy-MM-dd},temp_min,\"above temp_max\nby 2.1\"\n") : string.Empty);

    private static DateOnly DateOf(int day) => new DateOnly(2015, 1, 1).AddDays(day);

    private static string Partition(int day) => string.Create(CultureInfo.InvariantCulture, $"date={DateOf(day):yyyy-MM-dd}");

    private static TaskItem Item(string path) => new(path);
}
