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
            StatusText.Write(report, Shown(_options.WorkspaceDirectory), _output, _inspection.Verbose);
        }

        _output.Flush();
        if (_inspection.Check && !report.UpToDate)
        {
            throw new StatusCheckFailedException(
                string.Create(CultureInfo.InvariantCulture, $"--check: {report.StaleCells:N0} of {report.Stages.Sum(s => s.Cells):N0} cells are stale in {string.Join(", ", report.Stages.Where(s => s.Stale.Count > 0).Select(s => s.Stage))}; run the pipeline to bring them up to date."));
        }
    }

    /// <summary>
    /// Prints the last runs (<c>--limit=N</c>, default 20), one run's cells with <c>--run=ID</c>, or the last runs summed
    /// up with <c>--summary</c>; <c>--format=json</c> prints a JSON document instead.
    /// </summary>
    /// <exception cref="CairnUsageException"><c>--run</c> names no run, or a prefix of several.</exception>
    public void History() => ReadingRunLog(HistoryOfRuns);

    /// <summary>
    /// Prints each stage's success rate, cell durations, retries and rows over the last runs (<c>--limit=N</c>, default
    /// 20); <c>--format=json</c> prints a JSON document instead.
    /// </summary>
    public void Health() => ReadingRunLog(HealthOfStages);

    private void HistoryOfRuns()
    {
        var database = RunLogPath(_options);
        using var reader = RunLogReader.Open(database);
        if (_inspection.Summary)
        {
            var summary = reader is null ? RunsSummary.Of([], 0) : RunsSummary.Of(reader.Runs(_inspection.Limit), reader.RowsRead(_inspection.Limit));
            if (!Document(() => HistoryJson.WriteSummary(database, summary)))
            {
                HistoryText.WriteSummary(summary, Shown(database), _output);
            }

            return;
        }

        if (reader is null)
        {
            if (!Document(() => HistoryJson.Write(database, [])))
            {
                _output.WriteLine(NoRuns());
            }

            return;
        }

        if (_inspection.Run is not { } id)
        {
            var last = reader.Runs(_inspection.Limit);
            if (!Document(() => HistoryJson.Write(database, last)))
            {
                HistoryText.WriteRuns(last, Shown(database), _output);
            }

            return;
        }

        var runs = reader.FindRuns(id);
        if (runs.Count != 1)
        {
            var latest = reader.Runs(3).Select(r => r.RunId);
            throw new CairnUsageException(runs.Count == 0
                ? $"--run={id}: no run has that id in {Shown(database)}; the latest are {string.Join(", ", latest)} (./build.sh --target=History lists more)."
                : $"--run={id}: several runs start with it ({string.Join(", ", runs.Select(r => r.RunId))}); give more of the id.");
        }

        var cells = reader.Cells(runs[0].RunId);
        if (!Document(() => HistoryJson.Write(database, runs, cells)))
        {
            HistoryText.WriteRun(runs[0], cells, _plan.Stages.Select(s => s.Name).ToList(), _output, _options.Scheme.Key);
        }
    }

    private void HealthOfStages()
    {
        var database = RunLogPath(_options);
        using var reader = RunLogReader.Open(database);
        var order = _plan.Stages.Select(s => s.Name).ToList();
        if (reader is null)
        {
            if (!Document(() => HealthJson.Write(database, 0, [], order)))
            {
                _output.WriteLine(NoRuns());
            }

            return;
        }

        var runs = reader.Runs(_inspection.Limit).Count;
        var health = reader.Health(_inspection.Limit);
        if (!Document(() => HealthJson.Write(database, runs, health, order)))
        {
            HealthText.Write(health, runs, Shown(database), order, _output);
        }
    }

    /// <summary>
    /// Removes the runs older than the newest <c>keep_runs</c> (a setting of the pipeline file) from the run log, with
    /// their logs, then compacts the database (VACUUM), and says what it removed.
    /// </summary>
    /// <exception cref="CairnUsageException">The pipeline file sets no <c>keep_runs</c>.</exception>
    public void Prune()
    {
        var file = Shown(_plan.Definition.FilePath);
        if (_plan.Definition.KeepRuns is not { } keep)
        {
            throw new CairnUsageException($"Prune: {file} sets no keep_runs, so every run is kept; add keep_runs: N (e.g. keep_runs: 100) to it to keep the newest N runs.");
        }

        var database = RunLogPath(_options);
        if (!File.Exists(database))
        {
            _output.WriteLine(NoRuns());
            return;
        }

        var result = RunLogPruner.Prune(database, new WorkspaceLayout(_options.WorkspaceDirectory).RunLogs, keep);
        var size = string.Create(CultureInfo.InvariantCulture, $"{Megabytes(result.BytesBefore)} -> {Megabytes(result.BytesAfter)}");
        _output.WriteLine(result.Runs == 0
            ? string.Create(CultureInfo.InvariantCulture, $"Prune: nothing to remove; {Shown(database)} holds {result.Kept:N0} runs, keep_runs is {keep} ({file}); {Megabytes(result.BytesAfter)}.")
            : string.Create(CultureInfo.InvariantCulture, $"Prune: removed {result.Runs:N0} runs started {PruneTime(result.Oldest!.Value)} to {PruneTime(result.Newest!.Value)} UTC and {result.Logs:N0} of their logs (logs/runs/); kept the newest {result.Kept:N0} (keep_runs: {keep} in {file}); {Shown(database)} {size} after VACUUM."));
    }

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1_000_000.0:0.0} MB");

    private static string PruneTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>With <c>--format=json</c>, writes the document to stdout, alone, and returns true.</summary>
    private bool Document(Func<string> document)
    {
        if (!_inspection.Json)
        {
            return false;
        }

        _console.Document.WriteLine(document());
        _console.Document.Flush();
        return true;
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
