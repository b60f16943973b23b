using System.Globalization;
using Cairn.Engine.Inspecting;
using Cairn.Engine.Observing;
using Cairn.Engine.Plan;
using Cairn.Engine.Status;
using Cairn.Engine.Workspace;

namespace Cairn;

/// <summary>The targets that run no stage: what is stale and why, what past runs did, how stages fare, the DAG.</summary>
public sealed partial class CairnSession
{
    private InspectionOptions _inspection = new(Json: false, Check: false, InspectionOptions.DefaultLimit, Run: null);

    /// <summary>
    /// Prints, for every stage and selected partition, whether it is up to date and if not the chain of causes,
    /// without running anything or writing checkpoints. <c>--format=json</c> prints the JSON document instead.
    /// </summary>
    /// <exception cref="StatusCheckFailedException">With <c>--check</c>, when a cell is stale (exit code 1).</exception>
    public void Status()
    {
        foreach (var warning in _options.RawWarnings)
        {
            (_inspection.Json ? _console.Errors : _output).WriteLine($"warning: {warning}");
        }

        StatusReport report;
        if (_options.RawIsDefaultLandingZone && !Directory.Exists(_options.RawDirectory))
        {
            var landing = Shown(_options.RawDirectory);
            report = UnmadeLandingZoneStatus.Report(_options, _plan, landing);
            var note = _inspection.Json ? _console.Errors : _output;
            note.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The landing zone {landing} is not made yet: a run makes it from {Shown(_plan.Definition.SamplePath!)} ({_options.Partitions.Count:N0} days), then runs every cell without a checkpoint for the first time."));
        }
        else
        {
            report = new StatusCheck(_options, _plan, _fileClock).Check();
        }

        if (_inspection.Json)
        {
            _console.Document.WriteLine(StatusJson.Write(report));
            _console.Document.Flush();
        }
        else
        {
            StatusText.Write(report, Shown(_options.WorkspaceDirectory), _output);
        }

        _output.Flush();
        if (_inspection.Check && !report.UpToDate)
        {
            throw new StatusCheckFailedException(
                $"--check: {report.StaleCells} of {report.Stages.Sum(s => s.Cells)} cells are stale in {string.Join(", ", report.Stages.Where(s => s.Stale.Count > 0).Select(s => s.Stage))}; run the pipeline to bring them up to date.");
        }
    }

    /// <summary>Prints the last runs (<c>--limit=N</c>, default 20), or one run's cells with <c>--run=ID</c>.</summary>
    /// <exception cref="CairnUsageException"><c>--run</c> names no run, or a prefix of several.</exception>
    public void History() => ReadingRunLog(HistoryOfRuns);

    /// <summary>Prints each stage's success rate, cell durations, retries and rows over the last runs (<c>--limit=N</c>, default 20).</summary>
    public void Health() => ReadingRunLog(HealthOfStages);

    private void HistoryOfRuns()
    {
        using var reader = RunLogReader.Open(RunLogPath(_options));
        if (reader is null)
        {
            _output.WriteLine(NoRuns());
            return;
        }

        if (_inspection.Run is not { } id)
        {
            HistoryText.WriteRuns(reader.Runs(_inspection.Limit), Shown(RunLogPath(_options)), _output);
            return;
        }

        var runs = reader.FindRuns(id);
        if (runs.Count != 1)
        {
            var latest = reader.Runs(3).Select(r => r.RunId);
            throw new CairnUsageException(runs.Count == 0
                ? $"--run={id}: no run has that id in {Shown(RunLogPath(_options))}; the latest are {string.Join(", ", latest)} (./build.sh --target=History lists more)."
                : $"--run={id}: several runs start with it ({string.Join(", ", runs.Select(r => r.RunId))}); give more of the id.");
        }

        HistoryText.WriteRun(runs[0], reader.Cells(runs[0].RunId), _plan.Stages.Select(s => s.Name).ToList(), _output);
    }

    private void HealthOfStages()
    {
        using var reader = RunLogReader.Open(RunLogPath(_options));
        if (reader is null)
        {
            _output.WriteLine(NoRuns());
            return;
        }

        var runs = reader.Runs(_inspection.Limit).Count;
        HealthText.Write(reader.Health(_inspection.Limit), runs, Shown(RunLogPath(_options)), _plan.Stages.Select(s => s.Name).ToList(), _output);
    }

    /// <summary>Writes the DAG as <c>reports/dag.mmd</c> (Mermaid), <c>reports/dag.dot</c>, and <c>reports/dag.svg</c> when Graphviz is installed.</summary>
    public void Graph()
    {
        var (written, note) = DagGraph.Write(_plan, new WorkspaceLayout(_options.WorkspaceDirectory));
        _output.WriteLine($"Graph: wrote {string.Join(", ", written)} in {Shown(_options.WorkspaceDirectory)}");
        if (note is not null)
        {
            _output.WriteLine(note);
        }
    }

    /// <summary>Prints Cairn's targets, with the descriptions given in the order given, and every argument it reads.</summary>
    public void Help(IReadOnlyDictionary<string, string> targetDescriptions)
    {
        ArgumentNullException.ThrowIfNull(targetDescriptions);
        HelpText.Write(targetDescriptions.ToList(), _output);
        _output.Flush();
    }

    /// <summary>A damaged run log fails History and Health naming it; the next run, which holds the workspace, moves it aside.</summary>
    private void ReadingRunLog(Action read)
    {
        try
        {
            read();
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (RunLogDatabase.IsDamage(e))
        {
            throw new RunLogDamagedException($"The run log {Shown(RunLogPath(_options))} is damaged ({e.Message}) and cannot be read. The next run keeps it as {Shown(RunLogPath(_options))}.damaged-<time> for recovery and starts a new run log.", e);
        }
    }

    private static string RunLogPath(RunOptions options) => Path.Combine(new WorkspaceLayout(options.WorkspaceDirectory).State, RunLogDatabase.FileName);

    private string NoRuns() => $"No runs recorded in {Shown(RunLogPath(_options))} yet; ./build.sh --target=Package records one.";

    /// <summary>A path relative to the repository when it lies inside it, else whole.</summary>
    private string Shown(string path)
    {
        var relative = Path.GetRelativePath(_repositoryRoot, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative.Replace('\\', '/');
    }
}
