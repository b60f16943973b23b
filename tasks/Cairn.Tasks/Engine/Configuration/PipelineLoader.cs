using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Cairn.Engine.Configuration;

/// <summary>Reads a pipeline file and the parameters files it names, reporting every problem at once.</summary>
internal static class PipelineLoader
{
    private static readonly string[] TopLevelKeys = ["name", "assembly", "sample", "partition_column", "stages", "notify", "schedules"];
    private static readonly string[] StageKeys = ["task", "partitioned", "inputs", "outputs", "parameters", "parameters_file", "retry", "timeout"];
    private static readonly string[] RetryKeys = ["attempts", "delay", "max_delay", "jitter", "on", "vary"];

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
        string? name = null, assembly = null, sample = null, partitionColumn = null;
        var stages = new List<StageDefinition>();
        var notifiers = new List<NotifierDefinition>();
        var schedules = new List<ScheduleDefinition>();

        foreach (var (key, value, keyNode) in YamlNodes.Entries(root, path))
        {
            switch (key)
            {
                case "name": name = YamlNodes.Scalar(value, path, key); break;
                case "assembly": assembly = YamlNodes.Scalar(value, path, key); break;
                case "sample": sample = YamlNodes.Scalar(value, path, key); break;
                case "partition_column": partitionColumn = YamlNodes.Scalar(value, path, key); break;
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
            problems.Add($"{path}: 'name' is missing; give the pipeline a name.");
        }

        if (string.IsNullOrWhiteSpace(assembly))
        {
            problems.Add($"{path}: 'assembly' is missing; name the assembly that holds the pipeline's stage tasks (e.g. Cairn.Pipelines.Weather).");
        }

        SchedulesSection.CheckTargets(schedules, stages, problems);
        if (stages.Count == 0 && problems.Count == 0)
        {
            problems.Add($"{path}: 'stages' is missing or empty.");
        }

        if (problems.Count > 0)
        {
            throw new CairnConfigurationException(string.Join(Environment.NewLine, problems));
        }

        var samplePath = sample is null ? null : Path.GetFullPath(Path.Combine(directory, sample));
        return new PipelineDefinition(name!, path, directory, assembly!, samplePath, partitionColumn ?? "date", stages) { Notifiers = notifiers, Schedules = schedules };
    }

    private static StageDefinition? ReadStage(string name, YamlMappingNode node, string path, string directory, List<string> problems)
    {
        string? task = null;
        var partitioned = false;
        var inputs = new Dictionary<string, IReadOnlyList<PathTemplate>>(StringComparer.Ordinal);
        var outputs = new Dictionary<string, PathTemplate>(StringComparer.Ordinal);
        var parameters = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        var inline = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        string? parametersFile = null;
        var retry = RetryPolicy.None;
        TimeSpan? timeout = null;

        foreach (var (key, value, keyNode) in YamlNodes.Entries(node, path))
        {
            switch (key)
            {
                case "task": task = YamlNodes.Scalar(value, path, key); break;
                case "partitioned": partitioned = YamlNodes.Boolean(value, path, key); break;
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
                    if (Durations.TryParse(text, out var parsed) && parsed > TimeSpan.Zero)
                    {
                        timeout = parsed;
                    }
                    else
                    {
                        problems.Add($"{YamlNodes.Where(path, value)}: stage '{name}' timeout '{text}' is not a duration; write e.g. 90s, 10m or 1h.");
                    }

                    break;
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

        foreach (var (property, template) in inputs.SelectMany(i => i.Value.Select(t => KeyValuePair.Create(i.Key, t))).Concat(outputs))
        {
            if (template.UsesDate && !partitioned)
            {
                problems.Add($"{path}: stage '{name}' is not partitioned, so '{property}: {template}' cannot use {{date}}; use {{each}} for one path per selected partition, or set partitioned: true.");
            }

            if (template.UsesEach && partitioned)
            {
                problems.Add($"{path}: stage '{name}' is partitioned, so '{property}: {template}' cannot use {{each}}; use {{date}}.");
            }
        }

        foreach (var (property, template) in outputs)
        {
            if (template.Root != PathRoot.Workspace || template.IsGlob || template.UsesEach)
            {
                problems.Add($"{path}: stage '{name}' output '{property}: {template}' must be one workspace-relative path (no {{raw}}, {{pipeline}}, {{each}} or wildcards).");
            }
            else if (partitioned && !template.UsesDate)
            {
                problems.Add($"{path}: stage '{name}' is partitioned, so output '{property}: {template}' must contain {{date}}; otherwise every partition would overwrite the same file.");
            }
        }

        return new StageDefinition(name, task, partitioned, inputs, outputs, parameters) { Retry = retry, Timeout = timeout };
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
