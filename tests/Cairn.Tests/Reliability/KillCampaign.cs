using System.Globalization;
using Cairn.Tests.Support;

namespace Cairn.Tests.Reliability;

/// <summary>
/// Runs <c>./build.sh --target=Package</c> on one workspace in episodes (<see cref="Episode"/>): each episode starts two
/// to five runs and kills each at a random moment of its stage work, then runs to completion. Every random choice of an
/// episode (how many kills, each kill's moment as a fraction of its window, the changed days) comes from its own
/// generator, seeded from the campaign's seed, so the i-th episode makes the same choices on a replay however the runs
/// before it went; the windows themselves follow the pace measured on the machine.
/// </summary>
internal sealed class KillCampaign
{
    private const int MinKillsPerEpisode = 2;
    private const int MaxKillsPerEpisode = 5;
    private readonly TestEnvironment _env;
    private readonly Random _random;
    private readonly int _cellsPerDay;
    private readonly int _wholeDatasetCells;
    private readonly Action<string> _log;
    private readonly Dictionary<string, string> _original;
    private readonly List<string> _changed = [];

    // Seconds of engine time per cell run, first from the uninterrupted run, then from the kills: it follows the load.
    private double _secondsPerCell;

    /// <param name="env">Holds the raw folder <c>raw/</c>; the campaign's workspace is <c>ws/</c>.</param>
    /// <param name="seed">Decides every episode's kill moments and changed days.</param>
    /// <param name="reference">The workspace of an uninterrupted run over the same raw folder.</param>
    /// <param name="work">How long the engine worked in that run.</param>
    /// <param name="log">Where each kill and completion is reported.</param>
    public KillCampaign(TestEnvironment env, int seed, WorkspaceState reference, TimeSpan work, Action<string> log)
    {
        _env = env;
        _random = new Random(seed);
        _log = log;
        _original = Directory.EnumerateFiles(Raw, "*.csv", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllText, StringComparer.Ordinal);
        _cellsPerDay = reference.Checkpoints.Keys.Count(c => c.Contains(" date=", StringComparison.Ordinal)) / _original.Count;
        _wholeDatasetCells = reference.Checkpoints.Keys.Count(c => !c.Contains(" date=", StringComparison.Ordinal));
        _secondsPerCell = work.TotalSeconds / AllCells;
    }

    public string Workspace => _env.PathOf("ws");

    public string Raw => _env.PathOf("raw");

    /// <summary>Whether some raw days are currently changed (a <see cref="Episode.Reverted"/> must follow).</summary>
    public bool RawChanged => _changed.Count > 0;

    public List<KillRecord> Kills { get; } = [];

    public List<Completion> Completed { get; } = [];

    public int Runs { get; private set; }

    /// <summary>Runs that ended by themselves before their kill moment.</summary>
    public int EndedBeforeKill { get; private set; }

    private int AllCells => (_cellsPerDay * _original.Count) + _wholeDatasetCells;

    public List<string> Arguments(bool forced = false)
    {
        List<string> arguments = ["--target=Package", $"--workspace={Workspace}", $"--raw={Raw}"];
        if (forced)
        {
            // "--force=true", not a bare "--force": Cake hands a bare switch to RunArguments as a null value, which it
            // does not expect yet (NullReferenceException).
            arguments.Add("--force=true");
        }

        return arguments;
    }

    /// <summary>Prepares the episode's work, kills two to five runs at random moments, then runs to completion.</summary>
    public void Run(Episode episode)
    {
        var random = new Random(_random.Next());
        var cells = Prepare(episode, random);
        var moments = Enumerable.Range(0, random.Next(MinKillsPerEpisode, MaxKillsPerEpisode + 1)).Select(_ => random.NextDouble()).ToList();
        var episodeRuns = new HashSet<string>(StringComparer.Ordinal);
        var done = 0;
        foreach (var moment in moments)
        {
            var logsBefore = RunLogs();
            using var run = BuildProcess.Start(Arguments(forced: episode == Episode.Forced));
            Runs++;

            // The kill lands after the engine opened its run (its run log appears), within the time the cells still to
            // run take at the current pace, plus a margin for deciding and the summary: in stage work, however long
            // Cake took to start on a busy machine.
            var engineStart = run.WaitUntil(() => RunLogs().Count > logsBefore.Count);
            var remaining = episode == Episode.Forced ? AllCells : Math.Max(0, cells - done);
            var span = TimeSpan.FromSeconds(_secondsPerCell * Math.Min(1.1 * AllCells, (0.15 * AllCells) + remaining));
            var delay = (engineStart ?? run.Elapsed) + (span * moment);
            var killed = engineStart is null ? 0 : run.KillAt(delay);
            if (killed == 0)
            {
                run.Finish().ShouldExitWith(0);
                EndedBeforeKill++;
                Complete(episode, run, FormattableString.Invariant($"run ended by itself in {run.Elapsed.TotalSeconds:0.00} s, before its kill at {delay.TotalSeconds:0.000} s"));
                return;
            }

            var state = WorkspaceState.Capture(Workspace);
            var runId = RunLogs().Except(logsBefore).First();
            episodeRuns.Add(runId);
            done = state.Checkpoints.Values.Count(c => episodeRuns.Contains(c.RunId));
            var ran = state.Checkpoints.Values.Count(c => c.RunId == runId);
            if (ran >= 20)
            {
                _secondsPerCell = (_secondsPerCell + ((delay - engineStart!.Value).TotalSeconds / ran)) / 2;
            }

            var record = new KillRecord(Kills.Count + 1, episode, delay, engineStart!.Value, killed, Landing(run, runId, state), state);
            Kills.Add(record);
            _log(record.ToString());
        }

        using var completion = BuildProcess.Start(Arguments()).Finish().ShouldExitWith(0);
        Runs++;
        Complete(episode, completion, FormattableString.Invariant($"run to completion in {completion.Elapsed.TotalSeconds:0.00} s"));
    }

    /// <returns>How many cells the episode's runs have to run.</returns>
    private int Prepare(Episode episode, Random random)
    {
        switch (episode)
        {
            case Episode.Backfill:
                if (Directory.Exists(Workspace))
                {
                    Directory.Delete(Workspace, recursive: true);
                }

                return AllCells;
            case Episode.Changed:
                // A quarter of the days, one at least: a small change to temp_max keeps the evaluation gate holding.
                var files = _original.Keys.Order(StringComparer.Ordinal).ToList();
                var chosen = files.Where(_ => random.Next(4) == 0).ToList();
                if (chosen.Count == 0)
                {
                    chosen.Add(files[random.Next(files.Count)]);
                }

                foreach (var file in chosen)
                {
                    File.WriteAllText(file, WarmerByHalfADegree(_original[file]));
                }

                _changed.AddRange(chosen);
                _log($"[{episode}] changed temp_max in {chosen.Count} raw days");
                return (_cellsPerDay * chosen.Count) + _wholeDatasetCells;
            case Episode.Reverted:
                var restored = _changed.Count;
                foreach (var file in _changed)
                {
                    File.WriteAllText(file, _original[file]);
                }

                _log($"[{episode}] restored {restored} raw days");
                _changed.Clear();
                return (_cellsPerDay * restored) + _wholeDatasetCells;
            default:
                return AllCells;
        }
    }

    private void Complete(Episode episode, BuildProcess run, string message)
    {
        var completion = new Completion($"completion #{Completed.Count + 1} [{episode}]", run.RunId, WorkspaceState.Capture(Workspace));
        Completed.Add(completion);
        _log($"{completion}: {message}");
    }

    /// <summary>The stage the killed run last reported, the cells it had checkpointed, and what it left for the next run.</summary>
    private static string Landing(BuildProcess run, string runId, WorkspaceState state)
    {
        var written = state.Checkpoints.Values.Where(c => c.RunId == runId).GroupBy(c => c.Stage).Select(g => $"{g.Key} {g.Count()}").ToList();
        var landing = $"in {run.LastStage ?? "the engine's start (opening the run, deciding Ingest)"}; run {runId} had checkpointed {(written.Count == 0 ? "nothing" : string.Join(", ", written))}";
        if (state.StagingFiles.Any(f => f.StartsWith($".cairn/staging/{runId}/", StringComparison.Ordinal)))
        {
            landing += "; a cell had written into staging";
        }

        if (state.StaleCheckpoints.ToList() is { Count: > 0 } stale)
        {
            landing += $"; stale checkpoints (re-run next time): {string.Join(", ", stale)}";
        }

        // Temp files are named .<file>.<pid>.<guid>.tmp, run ids <time>-<pid>-<suffix>.
        var pid = runId.Split('-')[1];
        if (state.TempFiles.Where(f => f.Contains($".{pid}.", StringComparison.Ordinal)).ToList() is { Count: > 0 } temps)
        {
            landing += $"; left temp files: {string.Join(", ", temps)}";
        }

        return landing;
    }

    private HashSet<string> RunLogs()
    {
        var folder = Path.Combine(Workspace, "logs", "runs");
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.log").Select(Path.GetFileNameWithoutExtension).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];
    }

    private static string WarmerByHalfADegree(string content)
    {
        var lines = content.Split('\n');
        var fields = lines[1].Split(',');
        fields[2] = (double.Parse(fields[2], CultureInfo.InvariantCulture) + 0.5).ToString("0.0", CultureInfo.InvariantCulture);
        lines[1] = string.Join(',', fields);
        return string.Join('\n', lines);
    }
}
