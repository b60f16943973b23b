using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Cairn.Engine.Configuration;

/// <summary>
/// Reads a pipeline file's <c>schedules:</c> list. Each entry has a <c>name</c> and exactly one of <c>cron:</c>,
/// <c>arrival:</c> or <c>after:</c>; the rest (<c>target</c>, <c>partitions</c>, <c>time_zone</c>, <c>catch_up</c>,
/// <c>retry</c>) says what its runs do. The cron expression itself is parsed by the service that runs the schedules
/// (Quartz); everything else is checked here, with the file's line.
/// </summary>
internal static partial class SchedulesSection
{
    private static readonly string[] Keys = ["name", "cron", "arrival", "after", "time_zone", "target", "partitions", "catch_up", "retry"];
    private static readonly string[] ArrivalKeys = ["quiet_period", "rescan"];
    private static readonly string[] AfterKeys = ["pipeline", "status"];
    private static readonly string[] AfterStatuses = ["succeeded", "failed", "finished"];
    private static readonly string[] RetryKeys = ["attempts", "delay", "max_delay"];

    public static List<ScheduleDefinition> Read(YamlNode node, string path, List<string> problems)
    {
        var schedules = new List<ScheduleDefinition>();
        if (node is not YamlSequenceNode sequence)
        {
            problems.Add($"{YamlNodes.Where(path, node)}: 'schedules' must be a list, each entry '- name: NAME' with one of cron:, arrival: or after:.");
            return schedules;
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in sequence.Children)
        {
            if (entry is not YamlMappingNode mapping)
            {
                problems.Add($"{YamlNodes.Where(path, entry)}: a schedule is a mapping such as 'name: nightly' and 'cron: \"0 30 2 * * ?\"'.");
                continue;
            }

            // A second use of a name is a problem of its own, whatever else is wrong with either entry.
            var where = YamlNodes.Where(path, mapping);
            if (mapping.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "name" }).Value is YamlScalarNode { Value: { } name })
            {
                if (names.TryGetValue(name, out var first))
                {
                    problems.Add($"{where}: a second schedule is named '{name}' (the first is at {first}); give each schedule its own name.");
                    continue;
                }

                names[name] = where;
            }

            if (ReadOne(mapping, path, problems) is { } schedule)
            {
                schedules.Add(schedule);
            }
        }

        return schedules;
    }

    /// <summary>Every schedule's target is a stage of the pipeline.</summary>
    public static void CheckTargets(IReadOnlyList<ScheduleDefinition> schedules, IReadOnlyList<StageDefinition> stages, List<string> problems)
    {
        foreach (var schedule in schedules.Where(s => s.Target is not null && stages.All(stage => stage.Name != s.Target)))
        {
            problems.Add($"{schedule.Source}: schedule '{schedule.Name}' names target '{schedule.Target}', which is not a stage of this pipeline; the stages are {string.Join(", ", stages.Select(s => s.Name))}.");
        }
    }

    private static ScheduleDefinition? ReadOne(YamlMappingNode mapping, string path, List<string> problems)
    {
        var where = YamlNodes.Where(path, mapping);
        var count = problems.Count;
        string? name = null, cron = null, target = null, afterPipeline = null;
        var afterStatus = "succeeded";
        var timeZone = "UTC";
        string? partitionsText = null;
        YamlNode? partitionsNode = null;
        var catchUp = 0;
        var quiet = TimeSpan.FromSeconds(30);
        var rescan = TimeSpan.FromSeconds(60);
        var retry = RunRetryPolicy.None;
        var kinds = new List<ScheduleKind>();
        foreach (var (key, value, keyNode) in YamlNodes.Entries(mapping, path))
        {
            switch (key)
            {
                case "name":
                    name = YamlNodes.Scalar(value, path, key);
                    if (!NamePattern().IsMatch(name))
                    {
                        problems.Add($"{YamlNodes.Where(path, value)}: schedule name '{name}' must be letters, digits, '_' or '-' (it appears in URLs and in schedule:NAME).");
                    }

                    break;
                case "cron":
                    cron = YamlNodes.Scalar(value, path, key).Trim();
                    kinds.Add(ScheduleKind.Cron);
                    var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
                    if (!cron.StartsWith('@') && fields is not (5 or 6 or 7))
                    {
                        problems.Add($"{YamlNodes.Where(path, value)}: cron '{cron}' has {fields} fields; write Quartz's six or seven (seconds first, e.g. \"0 30 2 * * ?\") or crontab's five (\"30 2 * * *\").");
                    }

                    break;
                case "arrival":
                    kinds.Add(ScheduleKind.Arrival);
                    if (value is YamlMappingNode arrival)
                    {
                        foreach (var (option, optionNode, optionKey) in YamlNodes.Entries(arrival, path))
                        {
                            switch (option)
                            {
                                case "quiet_period": quiet = Duration(optionNode, path, "arrival.quiet_period", problems, quiet); break;
                                case "rescan": rescan = Duration(optionNode, path, "arrival.rescan", problems, rescan); break;
                                default:
                                    problems.Add($"{YamlNodes.Where(path, optionKey)}: arrival has no key '{option}'; it knows {string.Join(", ", ArrivalKeys)}.");
                                    break;
                            }
                        }
                    }
                    else if (!YamlNodes.Boolean(value, path, key))
                    {
                        problems.Add($"{YamlNodes.Where(path, value)}: 'arrival: false' starts nothing; remove the schedule, or write 'arrival: true'.");
                    }

                    break;
                case "after":
                    kinds.Add(ScheduleKind.After);
                    foreach (var (option, optionNode, optionKey) in YamlNodes.Entries(YamlNodes.Mapping(value, path, key), path))
                    {
                        switch (option)
                        {
                            case "pipeline": afterPipeline = YamlNodes.Scalar(optionNode, path, "after.pipeline"); break;
                            case "status":
                                afterStatus = YamlNodes.Scalar(optionNode, path, "after.status");
                                if (!AfterStatuses.Contains(afterStatus))
                                {
                                    problems.Add($"{YamlNodes.Where(path, optionNode)}: after.status '{afterStatus}' is not one of {string.Join(", ", AfterStatuses)}.");
                                }

                                break;
                            default:
                                problems.Add($"{YamlNodes.Where(path, optionKey)}: after has no key '{option}'; it knows {string.Join(", ", AfterKeys)}.");
                                break;
                        }
                    }

                    if (afterPipeline is null)
                    {
                        problems.Add($"{YamlNodes.Where(path, value)}: after needs 'pipeline: NAME', the pipeline whose runs start this one.");
                    }

                    break;
                case "time_zone":
                    timeZone = YamlNodes.Scalar(value, path, key);
                    if (!TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
                    {
                        problems.Add($"{YamlNodes.Where(path, value)}: time_zone '{timeZone}' is not a time zone this machine knows; write an IANA id such as Europe/Paris or UTC.");
                    }

                    break;
                case "target": target = YamlNodes.Scalar(value, path, key); break;
                case "partitions":
                    partitionsText = YamlNodes.Scalar(value, path, key).Trim();
                    partitionsNode = value;
                    break;
                case "catch_up":
                    var text = YamlNodes.Scalar(value, path, key);
                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out catchUp) || catchUp > 1000)
                    {
                        problems.Add($"{YamlNodes.Where(path, value)}: catch_up '{text}' must be a whole number from 0 (skip missed fires) to 1000.");
                    }

                    break;
                case "retry": retry = ReadRetry(YamlNodes.Mapping(value, path, key), path, problems); break;
                default:
                    problems.Add($"{YamlNodes.Where(path, keyNode)}: a schedule has no key '{key}'; it knows {string.Join(", ", Keys)}.");
                    break;
            }
        }

        if (name is null)
        {
            problems.Add($"{where}: a schedule needs 'name: NAME'.");
        }

        if (kinds.Count != 1)
        {
            problems.Add($"{where}: schedule '{name}' needs exactly one of cron:, arrival: or after: (it has {(kinds.Count == 0 ? "none" : string.Join(" and ", kinds.Select(k => k.ToString().ToLowerInvariant() + ":")))}).");
        }

        var kind = kinds.Count == 1 ? kinds[0] : ScheduleKind.Cron;
        if (kind != ScheduleKind.Cron && catchUp > 0)
        {
            problems.Add($"{where}: schedule '{name}': catch_up applies to cron schedules only.");
        }

        var window = partitionsText is null
            ? DefaultWindow(kind)
            : ReadWindow(partitionsText, kind, $"{YamlNodes.Where(path, partitionsNode!)}: {(name is null ? "a schedule" : $"schedule '{name}'")}", problems);
        if (problems.Count > count)
        {
            return null;
        }

        return new ScheduleDefinition(name!, kind, target, where)
        {
            Cron = cron,
            TimeZone = timeZone,
            Partitions = window,
            CatchUp = catchUp,
            QuietPeriod = quiet,
            Rescan = rescan,
            AfterPipeline = afterPipeline,
            AfterStatus = afterStatus,
            Retry = retry,
        };
    }

    private static PartitionWindow DefaultWindow(ScheduleKind kind) => kind switch
    {
        ScheduleKind.Arrival => new PartitionWindow(PartitionWindowKind.Arrived),
        ScheduleKind.After => new PartitionWindow(PartitionWindowKind.Same),
        _ => PartitionWindow.All,
    };

    private static PartitionWindow ReadWindow(string text, ScheduleKind kind, string where, List<string> problems)
    {
        var window = text switch
        {
            "all" => PartitionWindow.All,
            "previous_hour" when kind == ScheduleKind.Cron => new PartitionWindow(PartitionWindowKind.PreviousHour),
            "previous_day" when kind == ScheduleKind.Cron => new PartitionWindow(PartitionWindowKind.PreviousDay),
            "previous_month" when kind == ScheduleKind.Cron => new PartitionWindow(PartitionWindowKind.PreviousMonth),
            "arrived" when kind == ScheduleKind.Arrival => new PartitionWindow(PartitionWindowKind.Arrived),
            "same" when kind == ScheduleKind.After => new PartitionWindow(PartitionWindowKind.Same),
            _ when kind == ScheduleKind.Cron && LastDaysPattern().Match(text) is { Success: true } last
                && int.TryParse(last.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= 36600
                => new PartitionWindow(PartitionWindowKind.LastDays, days),
            _ => null,
        };
        if (window is null)
        {
            var forms = kind switch
            {
                ScheduleKind.Arrival => "arrived (the default) or all",
                ScheduleKind.After => "same (the default: the upstream run's) or all",
                _ => "previous_hour, previous_day, previous_month, all, or a window such as 'last 7 days'",
            };
            problems.Add($"{where}: partitions '{text}' is not one this {kind.ToString().ToLowerInvariant()} schedule knows; write {forms}.");
            return PartitionWindow.All;
        }

        return window;
    }

    private static RunRetryPolicy ReadRetry(YamlMappingNode node, string path, List<string> problems)
    {
        var attempts = 3;
        var delay = TimeSpan.FromMinutes(1);
        var maxDelay = TimeSpan.FromMinutes(30);
        foreach (var (key, value, keyNode) in YamlNodes.Entries(node, path))
        {
            switch (key)
            {
                case "attempts":
                    var text = YamlNodes.Scalar(value, path, key);
                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out attempts) || attempts is < 1 or > 100)
                    {
                        problems.Add($"{YamlNodes.Where(path, value)}: retry.attempts '{text}' must be a whole number from 1 to 100 (the first run counts).");
                    }

                    break;
                case "delay": delay = Duration(value, path, "retry.delay", problems, delay); break;
                case "max_delay": maxDelay = Duration(value, path, "retry.max_delay", problems, maxDelay); break;
                default:
                    problems.Add($"{YamlNodes.Where(path, keyNode)}: a schedule's retry has no key '{key}'; it knows {string.Join(", ", RetryKeys)}.");
                    break;
            }
        }

        return new RunRetryPolicy(attempts, delay, maxDelay < delay ? delay : maxDelay);
    }

    private static TimeSpan Duration(YamlNode node, string path, string key, List<string> problems, TimeSpan fallback)
    {
        var text = YamlNodes.Scalar(node, path, key);
        if (Durations.TryParse(text, out var duration))
        {
            return duration;
        }

        problems.Add($"{YamlNodes.Where(path, node)}: {key} '{text}' is not a duration; write e.g. 500ms, 30s, 5m or 1h.");
        return fallback;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^last\s+(?<n>\d+)\s+days?$", RegexOptions.CultureInvariant)]
    private static partial Regex LastDaysPattern();
}
