using Cairn.Engine.Partitions;
using Cairn.Stages;

namespace Cairn.Engine.Plan;

/// <summary>
/// Parses and validates a run's <c>--name=value</c> arguments together, before any stage runs, and reports every
/// problem at once with the fix.
/// </summary>
internal static class RunArguments
{
    private static readonly string[] Environments = ["local", "ci", "prod"];

    /// <summary>
    /// Every argument a person gives a Cairn host, in the order help and the README list them: <c>--target</c>
    /// (read by the host, checked by Cairn) and the arguments Cairn reads (<see cref="Known"/>).
    /// </summary>
    public static readonly IReadOnlyList<ArgumentDefinition> Definitions =
    [
        new("target", "NAME", ArgumentKind.Value, "the target to run (default: the pipeline's `default_target`, `Package` in the sample): a stage and the stages it needs, or `Status`, `History`, `Health`, `Prune`, `Graph`, `Rollback`, `Reviews`, `Approve`, `Reject`, `Verify`, `Lineage`, `Export`, `Help`, which run no stage"),
        new("pipeline", "NAME", ArgumentKind.Value, "the pipeline: `pipelines/NAME/pipeline.yaml`, or a pipeline file's path. May be left out when the repository has one pipeline"),
        new("partition", "KEY", ArgumentKind.Value, "run one partition: a day `YYYY-MM-DD`, or an hour `YYYY-MM-DDTHH` or a month `YYYY-MM` by the pipeline's `partitions: grain:`; without `--partition`, `--from` or `--to`, every partition present in the raw folder. Refused for `grain: none`"),
        new("from", "KEY", ArgumentKind.Value, "a backfill from this partition (a key of the pipeline's grain): the partitions with raw data in the inclusive range `--from`..`--to` (either end may be left open)"),
        new("to", "KEY", ArgumentKind.Value, "a backfill up to this partition, inclusive. With `--target=Rollback`: the version `artifacts/LATEST` should name, a prefix of its hash"),
        new("raw", "DIR", ArgumentKind.Value, "the raw landing zone, Hive style `date=YYYY-MM-DD/*.csv` unless the pipeline's `partitions:` declares another key, grain or files. Default: `work/NAME/landing/`, made once from the pipeline's shipped sample, one folder per partition"),
        new("workspace", "DIR", ArgumentKind.Value, "where everything produced goes. Default `work/NAME/`, NAME the pipeline's (git-ignored). Relative `--pipeline`, `--raw` and `--workspace` paths start from the directory you run `build.sh` from"),
        new("force", "Stage,…", ArgumentKind.SwitchOrList, "re-run every stage (`--force` alone), or the named stages, regardless of checkpoints"),
        new("env", "local|ci|prod", ArgumentKind.Value, "recorded in checkpoints and run logs. Default `local`, or `ci` when `CI=true`"),
        new("keep-going", null, ArgumentKind.Switch, "after a failure, still run every cell that does not depend on it; the run still exits 1"),
        new("skip", "Stage,…", ArgumentKind.Value, "leave stages out, using their recorded outputs (refused when those are missing)"),
        new("parallelism", "N", ArgumentKind.Value, "cells of a partitioned stage run N at a time (default: the number of cores); outputs are the same for any N"),
        new("no-wait", null, ArgumentKind.Switch, "fail at once instead of waiting when another run holds a cell this run needs (Approve, Reject, Rollback: any run on the workspace)"),
        new("timeout", "DURATION", ArgumentKind.Value, "the whole run's time limit (`90s`, `30m`, `2h`; at most 49 days)"),
        new("cache", "URL", ArgumentKind.Value, "a shared cache of cell results (`http://host:port/prefix`, any WebDAV/HTTP store): a stale cell found there is restored instead of run, a cell that ran is uploaded. Also `cache:` in the pipeline file or `CAIRN_CACHE`; a bearer token from `CAIRN_CACHE_TOKEN`"),
        new("cache-mode", "MODE", ArgumentKind.Value, "what the run does with the cache: `read` (restore only), `write` (upload only), `readwrite` (both, the default when a cache is set) or `off`"),
        new("executor", "local|slurm", ArgumentKind.Value, "where stale cells run: `local` (in this process, the default) or `slurm` (each stage's stale cells as one Slurm job array, chunked; the outputs are checked, promoted and checkpointed here). The workspace must be on storage every node sees"),
        new("slurm-partition", "NAME", ArgumentKind.Value, "with `--executor=slurm`: the Slurm partition (queue) the jobs go to (default: the cluster's default)"),
        new("slurm-account", "NAME", ArgumentKind.Value, "with `--executor=slurm`: the account the jobs are charged to"),
        new("slurm-time", "LIMIT", ArgumentKind.Value, "with `--executor=slurm`: each array task's time limit in Slurm's form (`30`, `1:00:00`); a task past it is a failed attempt"),
        new("slurm-mem", "SIZE", ArgumentKind.Value, "with `--executor=slurm`: each array task's memory (`2G`)"),
        new("slurm-flags", "FLAGS", ArgumentKind.Value, "with `--executor=slurm`: more `sbatch` options, as given (`--slurm-flags=\"--qos=low --constraint=ssd\"`)"),
        new("slurm-cells-per-task", "N", ArgumentKind.Value, "with `--executor=slurm`: how many cells one array task runs (default 64): a cell takes milliseconds, a job seconds"),
        new("slurm-pending-limit", "DURATION", ArgumentKind.Value, "with `--executor=slurm`: how long a job may wait in the queue before it is cancelled and its cells fail (default 10m)"),
        new("strict", null, ArgumentKind.Switch, "refuse to run when the raw folder holds folders that look like partitions but are ignored (a key that does not parse at the grain, another case, no file matching `files:`, too deep); without it each is a warning"),
        new("set", "Stage.name=VALUE", ArgumentKind.Repeatable, "set a stage parameter for this run (`--set=Train.l2=0.5`; snake_case or PascalCase; repeatable), over the pipeline and parameters files: fingerprinted like an edit of them, recorded in the checkpoint, the run log and the package manifest"),
        new("run-token", "TOKEN", ArgumentKind.Value, "a scheduler's or CI's id for this run: it publishes once; the same token again publishes nothing and says so, and with other arguments is refused"),
        new("review", "ID", ArgumentKind.Value, "Approve, Reject: the review to decide (`--target=Reviews` lists them)"),
        new("reason", "TEXT", ArgumentKind.Value, "Approve, Reject: why, recorded with the decision"),
        new("by", "NAME", ArgumentKind.Value, "Approve, Reject: who decides (default: the CI's actor, `GITHUB_ACTOR`, else user@host)"),
        new("artifact", "HASH", ArgumentKind.Value, "Lineage: the published package version to trace, a prefix of its hash (`--target=Rollback` without `--to` lists them)"),
        new("format", "text|json", ArgumentKind.Value, "the output of Status, History and Health: text, or a JSON document (stdout then carries the document only). Export: `airflow` or `github-actions`"),
        new("output", "FILE", ArgumentKind.Value, "Export: the file to write (default `exports/` in the workspace; `-` for stdout). A file there that Export did not write is never overwritten"),
        new("check", null, ArgumentKind.Switch, "Status exits 1 when a cell is stale (a CI gate)"),
        new("verbose", null, ArgumentKind.Switch, "Status lists every stale cell and every cause (by default many of one kind are one line; `--format=json` always has them all)"),
        new("limit", "N", ArgumentKind.Value, "History and Health: how many of the last runs (default 20)"),
        new("run", "ID", ArgumentKind.Value, "History: one run's cells (its id, or a unique prefix)"),
        new("summary", null, ArgumentKind.Switch, "History: the last runs (`--limit=N`) summed up: runs, success rate, cells ran/skipped/failed, rows read, time"),
    ];

    /// <summary>Arguments Cairn reads (every definition but <c>--target</c>, which the host reads).</summary>
    public static readonly string[] Known = Definitions.Where(d => d.Name != "target").Select(d => d.Name).ToArray();

    /// <summary>Cake's own switches, which pass through untouched.</summary>
    private static readonly string[] CakeSwitches =
    [
        "target", "t", "verbosity", "v", "dryrun", "noop", "whatif", "exclusive", "e", "tree", "description", "showdescription",
        "showtree", "help", "h", "version", "ver", "info", "debug", "d", "bootstrap", "skip-bootstrap", "invalidate-script-cache",
        "paths_addins", "paths_modules", "paths_tools", "settings_skipverification", "settings_enablescriptcache", "settings_noreport",
    ];

    public static RunOptions Parse(
        IReadOnlyDictionary<string, IReadOnlyList<string>> arguments,
        string target,
        string baseDirectory,
        string defaultWorkspace,
        string defaultRaw,
        IReadOnlyCollection<string> stageNames,
        Func<IReadOnlyList<string>?> sampleDays,
        Func<string, string?> environmentVariable,
        bool writesWorkspace = true,
        Func<IReadOnlyList<string>, List<string>, IReadOnlyList<ParameterOverride>>? readOverrides = null,
        PartitionScheme? partitionScheme = null,
        string? pipelineCache = null,
        FanOutLayout? fanOut = null,
        IReadOnlyDictionary<string, Configuration.ConfiguredValue>? pipelineExecutor = null)
    {
        var scheme = partitionScheme ?? PartitionScheme.Default;
        var problems = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var settings = new List<string>();
        foreach (var (key, list) in arguments)
        {
            var name = key.TrimStart('-');
            if (Definitions.FirstOrDefault(d => d.Kind == ArgumentKind.Repeatable && string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase)) is not null)
            {
                // Each --set is one override; they are recorded apart from the other arguments (RunOptions.ParameterOverrides).
                settings.AddRange(list.Select(v => v ?? string.Empty));
            }
            else if (Known.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                if (list.Count > 1)
                {
                    problems.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--{name} is given {list.Count:N0} times; give it once."));
                }

                // A bare switch (--force) arrives from Cake as a null value.
                values[name.ToLowerInvariant()] = list.Count == 0 ? string.Empty : list[^1] ?? string.Empty;
            }
            else if (!CakeSwitches.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                var suggestion = Known.MinBy(k => Distance(k, name.ToLowerInvariant()));
                problems.Add($"--{name} is not an argument Cairn knows{(suggestion is not null && Distance(suggestion, name.ToLowerInvariant()) <= 2 ? $"; did you mean --{suggestion}?" : ".")} Cairn's arguments are {string.Join(", ", Known.Select(k => "--" + k))}.");
            }
        }

        var workspace = Path.GetFullPath(values.GetValueOrDefault("workspace") is { Length: > 0 } w ? w : defaultWorkspace, baseDirectory);
        CheckWorkspace(workspace, writesWorkspace, problems);

        // Parsing writes nothing: a default landing zone not made yet is read as the partitions the sample will give
        // it, and made only when a run begins.
        var rawIsDefault = !values.TryGetValue("raw", out var rawArgument) || rawArgument.Length == 0;
        var raw = Path.GetFullPath(rawIsDefault ? defaultRaw : rawArgument!, baseDirectory);
        var layout = scheme.IsPartitioned ? $"{scheme.FolderPrefix}{scheme.Pattern}/{scheme.Files}" : "the raw files (partitions: grain: none)";
        PartitionCatalog? catalog = null;
        if (!Directory.Exists(raw))
        {
            if (rawIsDefault && sampleDays() is { } keys)
            {
                catalog = PartitionCatalog.Of(scheme, keys);
            }
            else
            {
                problems.Add(rawIsDefault
                    ? $"The default landing zone {raw} does not exist and the pipeline names no sample to make it from; pass --raw=DIR with {(scheme.IsPartitioned ? layout + " folders" : layout)}."
                    : $"--raw={rawArgument}: the folder {raw} does not exist; pass a folder that holds {(scheme.IsPartitioned ? layout + " partitions" : layout)}.");
            }
        }
        else if (scheme.IsPartitioned && fanOut is null)
        {
            catalog = PartitionCatalog.Scan(raw, scheme);
            if (catalog.Keys.Count == 0)
            {
                problems.Add($"--raw: {raw} holds no partitions; expected folders named {scheme.FolderPrefix}{scheme.Pattern} with at least one {(scheme.Files == PartitionScheme.Default.Files ? ".csv file" : $"file named {scheme.Files}")} in each (partitions: in the pipeline file).");
            }
        }

        // A stage that fans out writes the partitions: those it landed in an earlier run are known now, the rest once it
        // has run in this one, so a selection is checked for its grain only.
        var landedFolder = fanOut is null ? null : Path.Combine(workspace, fanOut.Folder);
        if (landedFolder is not null)
        {
            catalog = Directory.Exists(landedFolder) ? PartitionCatalog.Scan(landedFolder, fanOut!.Scheme) : PartitionCatalog.Of(scheme, []);
        }

        // Rollback's --to names a published version, not a partition.
        var selection = string.Equals(target, CairnSession.RollbackTarget, StringComparison.Ordinal)
            ? values.Where(v => v.Key != "to").ToDictionary(v => v.Key, v => v.Value, StringComparer.OrdinalIgnoreCase)
            : values;
        var chosen = PartitionSelection.All;
        var partitions = scheme.IsPartitioned ? SelectPartitions(selection, catalog, raw, scheme, problems, landedLater: fanOut is not null, out chosen) : RefuseSelection(selection, problems);
        var rawWarnings = fanOut is null ? catalog?.Warnings(raw) ?? [] : [];
        if (Switch("strict", values, problems))
        {
            problems.AddRange(rawWarnings.Select(w => $"--strict: {w}"));
        }

        var skipped = StageList("skip", values, stageNames, problems);
        var parallelism = System.Environment.ProcessorCount;
        if (values.TryGetValue("parallelism", out var parallelismText)
            && (!int.TryParse(parallelismText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out parallelism) || parallelism < 1 || parallelism > 256))
        {
            problems.Add($"--parallelism={parallelismText}: give a whole number of cells to run at once, from 1 to 256 (default: the number of cores, {System.Environment.ProcessorCount}).");
        }

        TimeSpan? timeout = null;
        if (values.TryGetValue("timeout", out var timeoutText))
        {
            if (!Configuration.Durations.TryParse(timeoutText, out var parsed))
            {
                problems.Add($"--timeout={timeoutText}: give a duration such as 90s, 30m or 2h.");
            }
            else if (Configuration.Durations.TimeoutProblem(parsed) is { } problem)
            {
                problems.Add($"--timeout={timeoutText}: {problem}; give a duration from 1ms to 49 days, such as 90s, 30m or 2h.");
            }
            else
            {
                timeout = parsed;
            }
        }

        var forceAll = false;
        IReadOnlySet<string> forced = new HashSet<string>();
        if (values.TryGetValue("force", out var force))
        {
            if (force.Length == 0 || string.Equals(force, "true", StringComparison.OrdinalIgnoreCase))
            {
                forceAll = true;
            }
            else if (!string.Equals(force, "false", StringComparison.OrdinalIgnoreCase))
            {
                forced = StageList("force", values, stageNames, problems);
            }
        }

        var environment = values.GetValueOrDefault("env");
        if (string.IsNullOrEmpty(environment))
        {
            environment = string.Equals(environmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase) ? "ci" : "local";
        }
        else if (!Environments.Contains(environment))
        {
            problems.Add($"--env={environment}: use one of {string.Join(", ", Environments)}.");
        }

        var cache = CacheOf(values, environmentVariable, pipelineCache, problems);
        var slurm = SlurmOf(values, pipelineExecutor ?? new Dictionary<string, Configuration.ConfiguredValue>(), problems);
        var keepGoing = Switch("keep-going", values, problems);
        var noWait = Switch("no-wait", values, problems);
        Inspecting.InspectionOptions.Parse(values, target, problems);
        IReadOnlyList<ParameterOverride> overrides = [];
        if (settings.Count > 0)
        {
            overrides = readOverrides is null
                ? throw new InvalidOperationException("--set needs the pipeline's stages to be read against; pass readOverrides.")
                : readOverrides(settings, problems);
        }

        if (problems.Count > 0)
        {
            throw new CairnUsageException(problems);
        }

        var selectedBy = values.ContainsKey("partition") ? "--partition" : values.ContainsKey("from") || values.ContainsKey("to") ? "--from/--to" : null;
        return new RunOptions(target, partitions, raw, rawIsDefault, workspace, forceAll, forced, environment!, values)
        {
            KeepGoing = keepGoing,
            NoWait = noWait,
            SkippedStages = skipped,
            Parallelism = parallelism,
            Timeout = timeout,
            ParameterOverrides = overrides,
            AllPartitions = catalog is null || selectedBy is null ? partitions : catalog.Keys,
            SelectedBy = selectedBy,
            RawWarnings = rawWarnings,
            Scheme = scheme,
            Cache = cache,
            Selection = chosen,
            Landed = fanOut is null ? null : new LandedPartitions(landedFolder!, fanOut, chosen.Contains),
            Slurm = slurm,
        };
    }

    /// <summary>
    /// The Slurm executor's settings when <c>--executor=slurm</c> (or the pipeline file's <c>executor: slurm</c>); null
    /// for a local run. Each setting comes from its <c>--slurm-*</c> argument, else the pipeline file's <c>slurm:</c>
    /// block, and a problem names where it came from. The <c>--slurm-*</c> arguments without the Slurm executor are
    /// refused, so a person who meant to use Slurm is not given a local run; the file's block may wait for
    /// <c>--executor=slurm</c>.
    /// </summary>
    private static Engine.Slurm.SlurmSettings? SlurmOf(Dictionary<string, string> values, IReadOnlyDictionary<string, Configuration.ConfiguredValue> configured, List<string> problems)
    {
        string? Value(string name) => values.TryGetValue(name, out var given) ? given : configured.TryGetValue(name, out var set) ? set.Text : null;
        string Source(string name) => values.ContainsKey(name) || !configured.TryGetValue(name, out var set) ? "--" + name : set.Source;

        var executor = Value("executor") is { Length: > 0 } chosen ? chosen : "local";
        var slurmOptions = values.Keys.Where(k => k.StartsWith("slurm-", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (!string.Equals(executor, "slurm", StringComparison.OrdinalIgnoreCase))
        {
            if (!string.Equals(executor, "local", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{Source("executor")}={executor}: use local (the default) or slurm.");
            }
            else if (slurmOptions.Count > 0)
            {
                problems.Add($"{string.Join(", ", slurmOptions.Select(o => "--" + o))}: only with --executor=slurm; add it, or leave them out for a local run.");
            }

            return null;
        }

        var cellsPerTask = Engine.Slurm.SlurmSettings.DefaultCellsPerTask;
        if (Value("slurm-cells-per-task") is { } cellsText
            && (!int.TryParse(cellsText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out cellsPerTask) || cellsPerTask < 1 || cellsPerTask > 100_000))
        {
            problems.Add($"{Source("slurm-cells-per-task")}={cellsText}: give a whole number of cells per array task, from 1 to 100000 (default {Engine.Slurm.SlurmSettings.DefaultCellsPerTask}).");
        }

        var pendingLimit = Engine.Slurm.SlurmSettings.DefaultPendingLimit;
        if (Value("slurm-pending-limit") is { } pendingText
            && (!Configuration.Durations.TryParse(pendingText, out pendingLimit) || Configuration.Durations.TimeoutProblem(pendingLimit) is not null || pendingLimit < TimeSpan.FromSeconds(1)))
        {
            problems.Add($"{Source("slurm-pending-limit")}={pendingText}: give a duration from 1s to 49 days, such as 90s, 30m or 2h (default 10m).");
        }

        string? Text(string name)
        {
            if (Value(name) is not { } text)
            {
                return null;
            }

            if (text.Length == 0 || text.Any(char.IsWhiteSpace))
            {
                problems.Add($"{Source(name)}={text}: give one value without spaces; more sbatch options go in {(values.ContainsKey(name) ? "--slurm-flags" : "slurm.flags")}.");
                return null;
            }

            return text;
        }

        var flags = Value("slurm-flags") is { } flagText ? flagText.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        foreach (var flag in flags.Where(f => Engine.Slurm.SlurmSettings.ReservedFlags.Any(r => f == r || f.StartsWith(r + "=", StringComparison.Ordinal))))
        {
            problems.Add($"{Source("slurm-flags")}: {flag} is Cairn's own to set (it sets the array, output and wait); leave it out.");
        }

        return new Engine.Slurm.SlurmSettings(Text("slurm-partition"), Text("slurm-account"), Text("slurm-time"), Text("slurm-mem"), flags, cellsPerTask, pendingLimit);
    }

    /// <summary>
    /// The shared cache: <c>--cache</c>, else <c>CAIRN_CACHE</c>, else the pipeline file's <c>cache:</c>; its mode from
    /// <c>--cache-mode</c> (readwrite by default); null when none is set or the mode is off.
    /// </summary>
    private static Engine.Cache.CacheSettings? CacheOf(Dictionary<string, string> values, Func<string, string?> environmentVariable, string? pipelineCache, List<string> problems)
    {
        var mode = Engine.Cache.CacheMode.ReadWrite;
        if (values.TryGetValue("cache-mode", out var modeText))
        {
            if (Engine.Cache.CacheSettings.ParseMode(modeText) is { } parsed)
            {
                mode = parsed;
            }
            else
            {
                problems.Add($"--cache-mode={modeText}: use one of {string.Join(", ", Engine.Cache.CacheSettings.Modes)} (default readwrite when a cache is set).");
            }
        }

        var (text, source) = values.TryGetValue("cache", out var given) ? (given, "--cache")
            : environmentVariable(Engine.Cache.CacheSettings.AddressVariable) is { Length: > 0 } variable ? (variable, Engine.Cache.CacheSettings.AddressVariable)
            : (pipelineCache, "the pipeline file's cache:");
        if (text is null || mode == Engine.Cache.CacheMode.Off)
        {
            return null;
        }

        var address = Engine.Cache.CacheSettings.ParseAddress(text, source, out var problem);
        if (problem is not null)
        {
            problems.Add(problem);
            return null;
        }

        return new Engine.Cache.CacheSettings(address!, mode, environmentVariable(Engine.Cache.CacheSettings.TokenVariable));
    }

    /// <summary>
    /// A switch's value: true when given alone or as <c>=true</c>, false when absent or <c>=false</c> (any case); any
    /// other value is a problem naming the switch.
    /// </summary>
    public static bool Switch(string name, IReadOnlyDictionary<string, string> values, List<string> problems)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return false;
        }

        if (text.Length == 0 || string.Equals(text, "true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (!string.Equals(text, "false", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"--{name}={text}: --{name} is a switch; give it alone, or =true / =false.");
        }

        return false;
    }

    private static HashSet<string> StageList(string name, Dictionary<string, string> values, IReadOnlyCollection<string> stageNames, List<string> problems)
    {
        var stages = new HashSet<string>(StringComparer.Ordinal);
        if (!values.TryGetValue(name, out var text))
        {
            return stages;
        }

        if (text.Length == 0)
        {
            problems.Add($"--{name} needs stage names, e.g. --{name}=Train,Evaluate. The stages are {string.Join(", ", stageNames)}.");
        }

        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = stageNames.FirstOrDefault(s => string.Equals(s, part, StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                problems.Add($"--{name}={text}: there is no stage '{part}'. The stages are {string.Join(", ", stageNames)}.");
            }
            else
            {
                stages.Add(match);
            }
        }

        return stages;
    }

    /// <summary>A pipeline without partitions (grain: none) has nothing to select: its one cell per stage always runs on the whole landing zone.</summary>
    private static List<string> RefuseSelection(Dictionary<string, string> values, List<string> problems)
    {
        foreach (var name in (string[])["partition", "from", "to"])
        {
            if (values.TryGetValue(name, out var text))
            {
                problems.Add($"--{name}={text}: this pipeline has no partitions (partitions: grain: none): every stage has one cell that reads the whole landing zone; drop --{name}.");
            }
        }

        return [];
    }

    // landedLater: the partitions are a stage's that fans out, so a key not landed yet may be landed by this run.
    private static List<string> SelectPartitions(Dictionary<string, string> values, PartitionCatalog? catalog, string raw, PartitionScheme scheme, List<string> problems, bool landedLater, out PartitionSelection selection)
    {
        selection = PartitionSelection.All;
        string? Key(string name)
        {
            if (!values.TryGetValue(name, out var text))
            {
                return null;
            }

            if (scheme.IsKey(text))
            {
                return text;
            }

            problems.Add($"--{name}={text}: {scheme.Explain(text)}; write it as {scheme.Pattern}, e.g. {scheme.Example}.");
            return null;
        }

        var partition = Key("partition");
        var from = Key("from");
        var to = Key("to");
        selection = new PartitionSelection(partition, from, to);
        var selected = new List<string>();
        var unit = scheme.Unit.ToUpperInvariant();
        if (values.ContainsKey("partition") && (values.ContainsKey("from") || values.ContainsKey("to")))
        {
            problems.Add($"--partition cannot be combined with --from/--to; use --partition={unit} for one {scheme.Unit}, or --from={unit} --to={unit} for a range.");
            return selected;
        }

        if (from is { } f && to is { } t && string.CompareOrdinal(f, t) > 0)
        {
            problems.Add($"--from={f} is after --to={t}; swap them (the range is inclusive).");
            return selected;
        }

        if (catalog is null)
        {
            return selected;
        }

        if (partition is { } p)
        {
            if (!catalog.Contains(p))
            {
                if (landedLater)
                {
                    return selected;
                }

                problems.Add($"--partition={p}: there is no raw data for that {scheme.Unit}; expected {Path.Combine(raw, scheme.FolderPrefix + p)}/{scheme.Files}. Raw data spans {Span(catalog, scheme)}.");
            }
            else
            {
                selected.Add(p);
            }

            return selected;
        }

        if (values.ContainsKey("from") || values.ContainsKey("to"))
        {
            if ((values.ContainsKey("from") && from is null) || (values.ContainsKey("to") && to is null))
            {
                return selected;
            }

            selected.AddRange(catalog.Keys.Where(selection.Contains));
            if (selected.Count == 0 && !landedLater)
            {
                problems.Add($"--from/--to select no partition: there is no raw data from {from ?? "the start"} to {to ?? "the end"}. Raw data spans {Span(catalog, scheme)}.");
            }

            return selected;
        }

        selected.AddRange(catalog.Keys);
        return selected;
    }

    private static string Span(PartitionCatalog catalog, PartitionScheme scheme) =>
        catalog.Keys.Count == 0 ? $"no {scheme.Unit}s" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{catalog.Keys[0]} to {catalog.Keys[^1]} ({catalog.Keys.Count:N0} {scheme.Unit}{(catalog.Keys.Count == 1 ? string.Empty : "s")})");

    /// <summary>
    /// A run must be able to write there, found by writing and deleting a probe file in it, or in the nearest folder
    /// above it that exists when it does not exist yet: checking makes no folder, so a run refused for another problem
    /// leaves nothing behind. A target that only reads (Status) writes nothing, not even a probe.
    /// </summary>
    private static void CheckWorkspace(string workspace, bool writes, List<string> problems)
    {
        if (!writes)
        {
            if (File.Exists(workspace))
            {
                problems.Add($"--workspace={workspace}: it is a file, not a folder; pass --workspace=DIR with the folder a run wrote to.");
            }

            return;
        }

        try
        {
            var existing = workspace;
            while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
            {
                if (File.Exists(existing))
                {
                    throw new IOException($"{existing} is a file");
                }

                existing = parent;
            }

            var probe = Path.Combine(existing, $".cairn-write-probe-{System.Environment.ProcessId}");
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"--workspace={workspace}: cannot write there ({e.Message}); pass --workspace=DIR with a folder you can write to.");
        }
    }

    /// <summary>Levenshtein distance, for 'did you mean' hints.</summary>
    public static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
