using System.Globalization;
using Cairn.Engine.Partitions;
using YamlDotNet.RepresentationModel;

namespace Cairn.Engine.Configuration;

/// <summary>Reads a pipeline file and the parameters files it names, reporting every problem at once.</summary>
internal static class PipelineLoader
{
    // The slurm: block's keys, each the --slurm-KEY argument (with '-' for '_').
    private static readonly string[] SlurmKeys = ["partition", "account", "time", "mem", "flags", "cells_per_task", "pending_limit"];

    private static readonly string[] TopLevelKeys = ["name", "assembly", "sample", "partition_column", "partitions", "roots", "default_target", "keep_runs", "cache", "executor", "slurm", "stages", "notify", "schedules"];
    private static readonly string[] StageKeys = ["task", "description", "partitioned", "inputs", "outputs", "parameters", "parameters_file", "retry", "timeout", "publish", "review_on", "reads", "fans_out"];

    /// <summary>The targets every Cairn host has beside the stages; a stage cannot take one of their names.</summary>
    public static readonly string[] InspectionTargets = ["Status", "History", "Health", "Prune", "Graph", "Rollback", "Reviews", "Approve", "Reject", "Verify", "Lineage", "Export", "Help", "Serve"];
    private static readonly string[] RetryKeys = ["attempts", "delay", "max_delay", "jitter", "on", "vary"];
    private static readonly string[] PartitionsKeys = ["key", "grain", "files"];

    public static PipelineDefinition Load(string pipelineFile)
    {
        var path = Path.GetFullPath(pipelineFile);
        if (!File.Exists(path))
        {
            throw new CairnConfigurationException($"The pipeline file {path} does not exist.");
        }

        var directory = Path.GetDirectoryName(path)!;
        var root = YamlNodes.LoadMapping(path);
        var problems = new List<string>();
        string? name = null, assembly = null, sample = null, partitionColumn = null, defaultTarget = null, cache = null;
        var stages = new List<StageDefinition>();
        var notifiers = new List<NotifierDefinition>();
        int? keepRuns = null;
        var schedules = new List<ScheduleDefinition>();
        var partitions = PartitionScheme.Default;
        var roots = new Dictionary<string, string>(StringComparer.Ordinal);
        var executor = new Dictionary<string, ConfiguredValue>(StringComparer.Ordinal);

        foreach (var (key, value, keyNode) in YamlNodes.Entries(root, path))
        {
            switch (key)
            {
                case "name": name = YamlNodes.Scalar(value, path, key); break;
                case "assembly": assembly = YamlNodes.Scalar(value, path, key); break;
                case "sample": sample = YamlNodes.Scalar(value, path, key); break;
                case "partition_column": partitionColumn = YamlNodes.Scalar(value, path, key); break;
                case "partitions": partitions = ReadPartitions(YamlNodes.Mapping(value, path, key), path, problems); break;
                case "roots": ReadRoots(YamlNodes.Mapping(value, path, key), path, directory, roots, problems); break;
                case "default_target": defaultTarget = YamlNodes.Scalar(value, path, key); break;
                case "cache":
                    cache = YamlNodes.Scalar(value, path, key);
                    if (Cache.CacheSettings.ParseAddress(cache, "cache", out var cacheProblem) is null)
                    {
                        problems.Add($"{YamlNodes.Where(path, value)}: {cacheProblem}");
                    }

                    break;
                case "executor":
                    var runsOn = YamlNodes.Scalar(value, path, key);
                    if (runsOn is "local" or "slurm")
                    {
                        executor["executor"] = new ConfiguredValue(runsOn, key, YamlNodes.Where(path, value));
                    }
                    else
                    {
                        problems.Add($"{YamlNodes.Where(path, value)}: executor '{runsOn}' is not one Cairn knows; use local (the default) or slurm.");
                    }

                    break;
                case "slurm": ReadSlurm(YamlNodes.Mapping(value, path, key), path, executor, problems); break;
                case "keep_runs":
                    var keep = YamlNodes.Scalar(value, path, key);
                    if (int.TryParse(keep, NumberStyles.None, CultureInfo.InvariantCulture, out var kept) && kept >= 1)
                    {
                        keepRuns = kept;
                    }
                    else
                    {
                        problems.Add($"{YamlNodes.Where(path, value)}: keep_runs '{keep}' is not a number of runs; give a whole number, at least 1 (e.g. keep_runs: 100), or leave it out to keep every run.");
                    }

                    break;
                case "stages":
                    foreach (var (stageName, stageNode, _) in YamlNodes.Entries(YamlNodes.Mapping(value, path, key), path))
                    {
                        var stage = ReadStage(stageName, YamlNodes.Mapping(stageNode, path, stageName), path, directory, problems);
                        if (stage is not null)
                        {
                            stages.Add(stage);
                        }
                    }

                    break;
                case "notify": notifiers = NotifySection.Read(value, path, problems); break;
                case "schedules": schedules = SchedulesSection.Read(value, path, problems); break;
                default:
                    problems.Add($"{YamlNodes.Where(path, keyNode)}: unknown key '{key}'; a pipeline file knows {string.Join(", ", TopLevelKeys)}.");
                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add($"{path}: 'name' is missing; give the pipeline a name (the name of its folder under pipelines/: {PipelineNames.Rule}).");
        }
        else if (name.IndexOfAny(['/', '\\', ':']) >= 0 || name is "." or "..")
        {
            problems.Add($"{path}: name '{name}' cannot name a folder (the default workspace is work/NAME); use {PipelineNames.Rule}.");
        }

        foreach (var stage in stages)
        {
            if (!PipelineNames.IsValid(stage.Name))
            {
                problems.Add($"{path}: stage name '{stage.Name}' is not a valid name: {PipelineNames.Rule}, as stage names are target names and appear in the DAG's edges.");
            }
            else if (InspectionTargets.FirstOrDefault(t => string.Equals(t, stage.Name, StringComparison.OrdinalIgnoreCase)) is { } taken)
            {
                problems.Add($"{path}: stage '{stage.Name}' takes the name of Cairn's own target {taken}; rename the stage (Cairn's own targets are {string.Join(", ", InspectionTargets)}).");
            }
        }

        for (var i = 0; i < stages.Count; i++)
        {
            if (stages[i].FansOut)
            {
                stages[i] = stages[i] with { FanOut = ReadFanOut(stages[i], partitions, path, problems) };
            }
        }

        if (stages.Count(s => s.FansOut) > 1)
        {
            problems.Add($"{path}: stages {string.Join(" and ", stages.Where(s => s.FansOut).Select(s => $"'{s.Name}'"))} fan out; one stage writes the pipeline's partitions, so set fans_out: true on one of them.");
        }

        foreach (var stage in stages)
        {
            CheckGrain(stage, partitions, path, problems);
            foreach (var (property, template) in stage.Inputs.SelectMany(i => i.Value.Select(t => (i.Key, t))).Where(p => p.t.Root == PathRoot.Named && !roots.ContainsKey(p.t.RootName!)))
            {
                problems.Add($"{path}: stage '{stage.Name}' '{property}: {template}' starts from {{{template.RootName}}}, which is not a root of the pipeline; declare it (roots: {{ {template.RootName}: ../folder }}), or start the path with {{raw}}/ or {{pipeline}}/.");
            }
        }

        SchedulesSection.CheckTargets(schedules, stages, problems);
        if (stages.Count == 0 && problems.Count == 0)
        {
            problems.Add($"{path}: 'stages' is missing or empty.");
        }

        if (defaultTarget is not null && stages.Count > 0 && !stages.Any(s => string.Equals(s.Name, defaultTarget, StringComparison.Ordinal)))
        {
            problems.Add($"{path}: default_target '{defaultTarget}' is not a stage of the pipeline; name one of {string.Join(", ", stages.Select(s => s.Name))}.");
        }

        if (problems.Count > 0)
        {
            throw new CairnConfigurationException(string.Join(Environment.NewLine, problems));
        }

        var samplePath = sample is null ? null : Path.GetFullPath(Path.Combine(directory, sample));
        return new PipelineDefinition(name!, path, directory, string.IsNullOrWhiteSpace(assembly) ? null : assembly, samplePath, partitionColumn ?? "date", stages)
        {
            Executor = executor,
            Notifiers = notifiers,
            DefaultTarget = defaultTarget ?? stages[^1].Name,
            KeepRuns = keepRuns,
            Cache = cache,
            Schedules = schedules,
            Partitions = partitions,
            Roots = roots,
        };
    }

    /// <summary>
    /// The <c>slurm:</c> block: the Slurm executor's settings, each the pipeline file's form of a <c>--slurm-*</c>
    /// argument (checked with the arguments, so a value given here and on the command line is judged alike).
    /// </summary>
    private static void ReadSlurm(YamlMappingNode node, string path, Dictionary<string, ConfiguredValue> executor, List<string> problems)
    {
        foreach (var (key, value, keyNode) in YamlNodes.Entries(node, path))
        {
            if (Array.IndexOf(SlurmKeys, key) < 0)
            {
                problems.Add($"{YamlNodes.Where(path, keyNode)}: slurm has an unknown key '{key}'; slurm knows {string.Join(", ", SlurmKeys)}.");
                continue;
            }

            executor["slurm-" + key.Replace('_', '-')] = new ConfiguredValue(YamlNodes.Scalar(value, path, key), "slurm." + key, YamlNodes.Where(path, value));
        }
    }

    /// <summary>The <c>roots:</c> section: read-only folders by name, relative to the pipeline file's folder, each checked here, once.</summary>
    private static void ReadRoots(YamlMappingNode node, string path, string directory, Dictionary<string, string> roots, List<string> problems)
    {
        foreach (var (name, value, keyNode) in YamlNodes.Entries(node, path))
        {
            var folder = YamlNodes.Scalar(value, path, name).Trim();
            if (!PipelineNames.IsValid(name) || PathTemplate.ReservedNames.Contains(name))
            {
                problems.Add($"{YamlNodes.Where(path, keyNode)}: roots.{name}: a root is named with letters, digits and _, starting with a letter, and not {string.Join(", ", PathTemplate.ReservedNames)}; rename it (e.g. reference).");
                continue;
            }

            var full = Path.GetFullPath(Path.Combine(directory, folder));
            if (folder.Length == 0 || !Directory.Exists(full))
            {
                problems.Add($"{YamlNodes.Where(path, value)}: roots.{name}: the folder {full} does not exist; make it, or give the folder's path relative to {directory}.");
                continue;
            }

            roots[name] = full;
        }
    }

    /// <summary>The <c>partitions:</c> section: the folder key, the grain and the raw files of a partition folder.</summary>
    private static PartitionScheme ReadPartitions(YamlMappingNode node, string path, List<string> problems)
    {
        var scheme = PartitionScheme.Default;
        foreach (var (key, value, keyNode) in YamlNodes.Entries(node, path))
        {
            var text = YamlNodes.Scalar(value, path, key).Trim();
            switch (key)
            {
                case "key":
                    if (text.Length == 0 || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                    {
                        problems.Add($"{YamlNodes.Where(path, value)}: partitions.key '{text}' cannot name a partition folder ({{raw}}/KEY=value/); use letters, digits, _ and -, e.g. key: date.");
                    }
                    else
                    {
                        scheme = scheme with { Key = text };
                    }

                    break;
                case "grain":
                    if (!PartitionScheme.TryParseGrain(text, out var grain))
                    {
                        problems.Add($"{YamlNodes.Where(path, value)}: partitions.grain '{text}' is not a grain; write one of {PartitionScheme.Grains} (hour keys YYYY-MM-DDTHH, day keys YYYY-MM-DD, month keys YYYY-MM).");
                    }
                    else
                    {
                        scheme = scheme with { Grain = grain };
                    }

                    break;
                case "files":
                    if (text.Length == 0 || text.AsSpan().IndexOfAny('/', '\\') >= 0)
                    {
                        problems.Add($"{YamlNodes.Where(path, value)}: partitions.files '{text}' must be a file name pattern inside a partition folder, e.g. files: \"*.csv\".");
                    }
                    else
                    {
                        scheme = scheme with { Files = text };
                    }

                    break;
                default:
                    problems.Add($"{YamlNodes.Where(path, keyNode)}: partitions has an unknown key '{key}'; partitions knows {string.Join(", ", PartitionsKeys)}.");
                    break;
            }
        }

        return scheme;
    }

    /// <summary>A stage's placeholders and window checked against the pipeline's grain (the file may declare it after the stages).</summary>
    private static void CheckGrain(StageDefinition stage, PartitionScheme scheme, string path, List<string> problems)
    {
        var templates = stage.Inputs.SelectMany(i => i.Value.Select(t => (Property: i.Key, Template: t)))
            .Concat(stage.Outputs.Select(o => (Property: o.Key, Template: o.Value)))
            .ToList();
        if (!scheme.IsPartitioned)
        {
            if (stage.Partitioned)
            {
                problems.Add($"{path}: stage '{stage.Name}' is partitioned, but the pipeline declares partitions: grain: none, so every stage has one cell; remove partitioned: true, or declare a grain (hour, day, month).");
            }

            foreach (var (property, template) in templates.Where(t => t.Template.UsesPartition || t.Template.UsesEach))
            {
                problems.Add($"{path}: stage '{stage.Name}' '{property}: {template}' names a partition, but the pipeline declares partitions: grain: none; drop {{partition}}, {{date}} and {{each}} from its paths.");
            }

            if (stage.Reads.Kind == ReadWindowKind.Last)
            {
                problems.Add($"{stage.Reads.Source}: stage '{stage.Name}' reads {stage.Reads}, but the pipeline declares partitions: grain: none; remove reads:.");
            }

            return;
        }

        if (scheme.Grain != PartitionGrain.Day)
        {
            foreach (var (property, template) in templates.Where(t => t.Template.UsesDate))
            {
                problems.Add($"{path}: stage '{stage.Name}' '{property}: {template}' uses {{date}}, a day, but the pipeline's partitions are {scheme.Unit}s (partitions: grain: {scheme.GrainName}); write {{partition}}.");
            }
        }

        if (stage.Reads.Kind == ReadWindowKind.Last && ReadWindow.Finer(stage.Reads.Unit, scheme.Grain))
        {
            problems.Add($"{stage.Reads.Source}: stage '{stage.Name}' reads {stage.Reads}, a window in {stage.Reads.Unit}s, but the pipeline's partitions are {scheme.Unit}s (partitions: grain: {scheme.GrainName}); give the window in {scheme.Unit}s or longer, e.g. reads: last 3 {scheme.Unit}s.");
        }
    }

    /// <summary>The output of a stage with <c>fans_out: true</c> that holds the partitions, checked: one cell, a grain, one output of the form <c>FOLDER/KEY={partition}/FILE</c>.</summary>
    private static FanOutLayout? ReadFanOut(StageDefinition stage, PartitionScheme scheme, string path, List<string> problems)
    {
        var partitioned = stage.Outputs.Where(o => o.Value.UsesPartition).ToList();
        if (stage.Partitioned)
        {
            problems.Add($"{path}: stage '{stage.Name}' fans out, so it is one cell that writes every partition; remove partitioned: true.");
        }
        else if (!scheme.IsPartitioned)
        {
            problems.Add($"{path}: stage '{stage.Name}' fans out, but the pipeline declares partitions: grain: none; declare the grain of the partitions it writes (partitions: {{ key: date, grain: day }}), or remove fans_out.");
        }
        else if (partitioned.Count != 1)
        {
            problems.Add($"{path}: stage '{stage.Name}' fans out, so exactly one of its outputs names {{partition}}, the folder it writes the partitions into (e.g. Landing: \"data/landed/{scheme.FolderPrefix}{{partition}}/part.csv\"); it has {partitioned.Count}.");
        }
        else if (FanOutLayout.Parse(stage.Name, partitioned[0].Key, partitioned[0].Value, scheme, out var problem) is { } layout)
        {
            return layout;
        }
        else
        {
            problems.Add($"{path}: {problem}");
        }

        return null;
    }

    private static StageDefinition? ReadStage(string name, YamlMappingNode node, string path, string directory, List<string> problems)
    {
        string? task = null, description = null;
        var partitioned = false;
        var fansOut = false;
        var inputs = new Dictionary<string, IReadOnlyList<PathTemplate>>(StringComparer.Ordinal);
        var outputs = new Dictionary<string, PathTemplate>(StringComparer.Ordinal);
        var parameters = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        var inline = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        string? parametersFile = null;
        var retry = RetryPolicy.None;
        TimeSpan? timeout = null;
        PublishPolicy? publish = null;
        var reviewOn = new List<string>();
        var reads = ReadWindow.All;
        YamlNode? readsNode = null;

        foreach (var (key, value, keyNode) in YamlNodes.Entries(node, path))
        {
            switch (key)
            {
                case "reads":
                    readsNode = keyNode;
                    var window = YamlNodes.Scalar(value, path, key);
                    if (!ReadWindow.TryParse(window, YamlNodes.Where(path, keyNode), out reads))
                    {
                        problems.Add($"{YamlNodes.Where(path, keyNode)}: stage '{name}' reads '{window}', which is not a window; write {ReadWindow.Forms}.");
                    }

                    break;
                case "task": task = YamlNodes.Scalar(value, path, key); break;
                case "description": description = YamlNodes.Scalar(value, path, key); break;
                case "partitioned": partitioned = YamlNodes.Boolean(value, path, key); break;
                case "fans_out": fansOut = YamlNodes.Boolean(value, path, key); break;
                case "inputs": ReadPaths(name, YamlNodes.Mapping(value, path, key), path, inputs, allowLists: true, problems); break;
                case "outputs":
                    var single = new Dictionary<string, IReadOnlyList<PathTemplate>>(StringComparer.Ordinal);
                    ReadPaths(name, YamlNodes.Mapping(value, path, key), path, single, allowLists: false, problems);
                    foreach (var (property, templates) in single)
                    {
                        outputs[property] = templates[0];
                    }

                    break;
                case "parameters":
                    foreach (var (parameter, parameterNode, _) in YamlNodes.Entries(YamlNodes.Mapping(value, path, key), path))
                    {
                        inline[parameter] = YamlNodes.Parameter(parameterNode, path, parameter);
                    }

                    break;
                case "parameters_file": parametersFile = YamlNodes.Scalar(value, path, key); break;
                case "retry": retry = ReadRetry(name, YamlNodes.Mapping(value, path, key), path, problems); break;
                case "timeout":
                    var text = YamlNodes.Scalar(value, path, key);
                    if (!Durations.TryParse(text, out var parsed))
                    {
                        problems.Add($"{YamlNodes.Where(path, value)}: stage '{name}' timeout '{text}' is not a duration; write e.g. 90s, 10m or 1h.");
                    }
                    else if (Durations.TimeoutProblem(parsed) is { } problem)
                    {
                        problems.Add($"{YamlNodes.Where(path, value)}: stage '{name}' timeout '{text}': {problem}; give a duration from 1ms to 49 days, e.g. 90s, 10m or 1h.");
                    }
                    else
                    {
                        timeout = parsed;
                    }

                    break;
                case "review_on":
                    var codes = YamlNodes.Parameter(value, path, key);
                    reviewOn.AddRange(codes.List ?? [codes.Scalar!]);
                    break;
                case "publish": publish = ReadPublish(name, YamlNodes.Mapping(value, path, key), path, problems); break;
                default:
                    problems.Add($"{YamlNodes.Where(path, keyNode)}: stage '{name}' has an unknown key '{key}'; a stage knows {string.Join(", ", StageKeys)}.");
                    break;
            }
        }

        if (task is null)
        {
            problems.Add($"{YamlNodes.Where(path, node)}: stage '{name}' has no 'task'; name the task class (e.g. Cairn.Stages.Common.IngestCsv).");
            return null;
        }

        if (parametersFile is not null)
        {
            var file = Path.GetFullPath(Path.Combine(directory, parametersFile));
            if (!File.Exists(file))
            {
                problems.Add($"{YamlNodes.Where(path, node)}: stage '{name}' names parameters_file '{parametersFile}', which does not exist ({file}).");
            }
            else
            {
                foreach (var (key, value) in LoadParametersFile(file))
                {
                    parameters[ToPropertyName(key)] = value;
                }
            }
        }

        // Inline parameters win over the parameters file, so a pipeline can pin one value of a shared file.
        foreach (var (key, value) in inline)
        {
            parameters[ToPropertyName(key)] = value;
        }

        // A stage that fans out names {partition} in the output it writes the partitions into (checked with the grain).
        foreach (var (property, template) in inputs.SelectMany(i => i.Value.Select(t => KeyValuePair.Create(i.Key, t))).Concat(outputs.Where(_ => !fansOut)))
        {
            if (template.UsesPartition && !partitioned)
            {
                problems.Add($"{path}: stage '{name}' is not partitioned, so '{property}: {template}' cannot use {{partition}} or {{date}}; use {{each}} for one path per partition it reads (its reads: window, every partition by default), or set partitioned: true.");
            }

            if (template.UsesEach && partitioned)
            {
                problems.Add($"{path}: stage '{name}' is partitioned, so '{property}: {template}' cannot use {{each}}; use {{partition}} (or {{date}} in a pipeline of days).");
            }
        }

        if (readsNode is not null && partitioned)
        {
            problems.Add($"{YamlNodes.Where(path, readsNode)}: stage '{name}' is partitioned, so each of its cells reads its own partition; 'reads' is for a whole-dataset stage (one that reads {{each}}). Remove it, or set partitioned: false.");
        }

        foreach (var (property, template) in outputs)
        {
            if (template.Root != PathRoot.Workspace || template.IsGlob || template.UsesEach)
            {
                problems.Add($"{path}: stage '{name}' output '{property}: {template}' must be one workspace-relative path (no {{raw}}, {{pipeline}}, {{each}} or wildcards).");
            }
            else if (partitioned && !template.UsesPartition)
            {
                problems.Add($"{path}: stage '{name}' is partitioned, so output '{property}: {template}' must contain {{partition}} (or {{date}} in a pipeline of days); otherwise every partition would overwrite the same file.");
            }
        }

        return new StageDefinition(name, task, partitioned, inputs, outputs, parameters) { Retry = retry, Timeout = timeout, Description = description, Publish = publish, ReviewOn = reviewOn, Reads = reads, FansOut = fansOut };
    }

    private static PublishPolicy? ReadPublish(string stage, YamlMappingNode node, string path, List<string> problems)
    {
        string? to = null;
        int? keep = null;
        foreach (var (key, value, keyNode) in YamlNodes.Entries(node, path))
        {
            switch (key)
            {
                case "to":
                    to = YamlNodes.Scalar(value, path, key).Trim().TrimEnd('/');
                    if (to.Length == 0 || Path.IsPathRooted(to) || to.Split('/').Any(part => part is "" or "." or ".." || part.StartsWith('.')) || to.AsSpan().IndexOfAny("{}*?\\") >= 0)
                    {
                        problems.Add($"{YamlNodes.Where(path, value)}: stage '{stage}' publish.to '{to}' must be a plain workspace-relative folder, e.g. artifacts.");
                        to = null;
                    }

                    break;
                case "keep":
                    if (int.TryParse(YamlNodes.Scalar(value, path, key), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1)
                    {
                        keep = count;
                    }
                    else
                    {
                        problems.Add($"{YamlNodes.Where(path, value)}: stage '{stage}' publish.keep must be a whole number of at least 1 (how many versions to keep).");
                    }

                    break;
                default:
                    problems.Add($"{YamlNodes.Where(path, keyNode)}: stage '{stage}' publish has an unknown key '{key}'; publish knows to, keep.");
                    break;
            }
        }

        if (to is null)
        {
            problems.Add($"{YamlNodes.Where(path, node)}: stage '{stage}' publish has no usable 'to'; name the folder the versions go to, e.g. to: artifacts.");
            return null;
        }

        return new PublishPolicy(to, keep);
    }

    private static RetryPolicy ReadRetry(string stage, YamlMappingNode node, string path, List<string> problems)
    {
        var attempts = 3;
        var delay = TimeSpan.FromSeconds(1);
        var maxDelay = TimeSpan.FromSeconds(30);
        var jitter = true;
        var on = new List<string>();
        string? vary = null;
        long step = 1;
        foreach (var (key, value, keyNode) in YamlNodes.Entries(node, path))
        {
            string Where() => $"{YamlNodes.Where(path, value)}: stage '{stage}' retry.{key}";
            switch (key)
            {
                case "attempts":
                    if (!int.TryParse(YamlNodes.Scalar(value, path, key), NumberStyles.None, CultureInfo.InvariantCulture, out attempts) || attempts < 1 || attempts > 100)
                    {
                        problems.Add($"{Where()} must be a whole number from 1 to 100 (the first try counts).");
                    }

                    break;
                case "delay" or "max_delay":
                    var text = YamlNodes.Scalar(value, path, key);
                    if (!Durations.TryParse(text, out var duration))
                    {
                        problems.Add($"{Where()} '{text}' is not a duration; write e.g. 500ms, 2s or 1m.");
                    }
                    else if (duration > Durations.LongestRetryDelay)
                    {
                        problems.Add($"{Where()} '{text}' is longer than the longest pause between retries, 1 day; write e.g. 500ms, 2s or 1m.");
                    }
                    else if (key == "delay")
                    {
                        delay = duration;
                    }
                    else
                    {
                        maxDelay = duration;
                    }

                    break;
                case "jitter": jitter = YamlNodes.Boolean(value, path, key); break;
                case "on":
                    var codes = YamlNodes.Parameter(value, path, key);
                    on.AddRange(codes.List ?? [codes.Scalar!]);
                    break;
                case "vary":
                    var variations = YamlNodes.Mapping(value, path, key);
                    foreach (var (parameter, stepNode, _) in YamlNodes.Entries(variations, path))
                    {
                        vary = ToPropertyName(parameter);
                        if (!long.TryParse(YamlNodes.Scalar(stepNode, path, parameter), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out step))
                        {
                            problems.Add($"{YamlNodes.Where(path, stepNode)}: stage '{stage}' retry.vary.{parameter} must be a whole number, the step added on each retry.");
                        }
                    }

                    break;
                default:
                    problems.Add($"{YamlNodes.Where(path, keyNode)}: stage '{stage}' retry has an unknown key '{key}'; retry knows {string.Join(", ", RetryKeys)}.");
                    break;
            }
        }

        return new RetryPolicy(attempts, delay, maxDelay < delay ? delay : maxDelay, jitter, on, vary, step);
    }

    private static void ReadPaths(string stage, YamlMappingNode node, string path, Dictionary<string, IReadOnlyList<PathTemplate>> into, bool allowLists, List<string> problems)
    {
        foreach (var (property, value, _) in YamlNodes.Entries(node, path))
        {
            IReadOnlyList<string> texts = value is YamlSequenceNode sequence && allowLists
                ? sequence.Children.Select(child => YamlNodes.Scalar(child, path, property)).ToList()
                : [YamlNodes.Scalar(value, path, property)];
            var templates = new List<PathTemplate>();
            foreach (var text in texts)
            {
                if (PathTemplate.TryParse(text, out var template, out var problem))
                {
                    templates.Add(template!);
                }
                else
                {
                    problems.Add($"{YamlNodes.Where(path, value)}: stage '{stage}' property '{property}': {problem}.");
                }
            }

            if (templates.Count > 0)
            {
                into[property] = templates;
            }
        }
    }

    /// <summary>Reads a flat YAML parameters file (e.g. config/train.yaml) of snake_case keys.</summary>
    public static IReadOnlyList<(string Key, ParameterValue Value)> LoadParametersFile(string file)
    {
        var root = YamlNodes.LoadMapping(file);
        return YamlNodes.Entries(root, file).Select(e => (e.Key, YamlNodes.Parameter(e.Value, file, e.Key))).ToList();
    }

    /// <summary><c>max_iterations</c> → <c>MaxIterations</c>; a name already in PascalCase is kept.</summary>
    public static string ToPropertyName(string key)
    {
        if (!key.Contains('_', StringComparison.Ordinal) && key.Length > 0 && char.IsUpper(key[0]))
        {
            return key;
        }

        return string.Concat(key.Split('_', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => char.ToUpper(part[0], CultureInfo.InvariantCulture) + part[1..]));
    }
}
