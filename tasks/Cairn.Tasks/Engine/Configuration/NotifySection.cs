using System.Globalization;
using System.Text.RegularExpressions;
using Cairn.Engine.Notifications;
using YamlDotNet.RepresentationModel;

namespace Cairn.Engine.Configuration;

/// <summary>
/// Reads a pipeline file's <c>notify:</c> list. Each entry is a <c>webhook: URL</c> or a <c>command: TEXT</c>, with
/// optional <c>events</c>, <c>timeout_seconds</c> (the whole delivery of one event, retries included) and
/// <c>attempts</c>.
/// </summary>
internal static partial class NotifySection
{
    public const double DefaultTimeoutSeconds = 5;
    public const int DefaultAttempts = 3;
    private const double MaxTimeoutSeconds = 60;
    private const int MaxAttempts = 10;
    private static readonly string[] Keys = ["webhook", "command", "events", "timeout_seconds", "attempts"];

    public static List<NotifierDefinition> Read(YamlNode node, string path, List<string> problems)
    {
        var notifiers = new List<NotifierDefinition>();
        if (node is not YamlSequenceNode sequence)
        {
            problems.Add($"{YamlNodes.Where(path, node)}: 'notify' must be a list of notifiers, each '- webhook: URL' or '- command: TEXT'.");
            return notifiers;
        }

        foreach (var entry in sequence.Children)
        {
            if (entry is not YamlMappingNode mapping)
            {
                problems.Add($"{YamlNodes.Where(path, entry)}: a notifier is a mapping such as 'webhook: https://…' or 'command: ./notify.sh'.");
                continue;
            }

            var notifier = ReadOne(mapping, path, problems);
            if (notifier is not null)
            {
                notifiers.Add(notifier);
            }
        }

        return notifiers;
    }

    /// <summary>Names of the environment variables a webhook URL refers to as <c>${NAME}</c>.</summary>
    public static IEnumerable<string> VariablesIn(string text) => VariablePattern().Matches(text).Select(m => m.Groups["name"].Value);

    /// <summary>Replaces every <c>${NAME}</c>; null when one of them is unset or empty.</summary>
    public static string? Expand(string text, Func<string, string?> variable)
    {
        if (VariablesIn(text).Any(name => string.IsNullOrEmpty(variable(name))))
        {
            return null;
        }

        return VariablePattern().Replace(text, m => variable(m.Groups["name"].Value)!);
    }

    public static bool IsWebUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static NotifierDefinition? ReadOne(YamlMappingNode mapping, string path, List<string> problems)
    {
        var where = YamlNodes.Where(path, mapping);
        string? webhook = null, command = null;
        IReadOnlySet<string> events = NotificationEvents.All.ToHashSet(StringComparer.Ordinal);
        var timeout = DefaultTimeoutSeconds;
        var attempts = DefaultAttempts;
        var count = problems.Count;
        foreach (var (key, value, keyNode) in YamlNodes.Entries(mapping, path))
        {
            switch (key)
            {
                case "webhook": webhook = YamlNodes.Scalar(value, path, key); break;
                case "command": command = YamlNodes.Scalar(value, path, key); break;
                case "events": events = ReadEvents(value, path, problems); break;
                case "timeout_seconds": timeout = ReadNumber(value, path, key, 0, MaxTimeoutSeconds, problems); break;
                case "attempts": attempts = (int)ReadNumber(value, path, key, 1, MaxAttempts, problems, whole: true); break;
                default:
                    problems.Add($"{YamlNodes.Where(path, keyNode)}: a notifier has no key '{key}'; it knows {string.Join(", ", Keys)}.");
                    break;
            }
        }

        if ((webhook is null) == (command is null))
        {
            problems.Add($"{where}: a notifier has exactly one of 'webhook: URL' or 'command: TEXT'.");
        }
        else if (webhook is not null && !webhook.Contains("${", StringComparison.Ordinal) && !IsWebUrl(webhook))
        {
            problems.Add($"{where}: webhook '{webhook}' is not an http:// or https:// URL; write the whole address, or ${{NAME}} to read it from an environment variable.");
        }
        else if (command is not null && string.IsNullOrWhiteSpace(command))
        {
            problems.Add($"{where}: 'command' is empty; give the shell command to run for each event.");
        }

        if (problems.Count > count)
        {
            return null;
        }

        return webhook is not null
            ? new NotifierDefinition(NotifierKind.Webhook, webhook, events, TimeSpan.FromSeconds(timeout), attempts, where)
            : new NotifierDefinition(NotifierKind.Command, command!, events, TimeSpan.FromSeconds(timeout), attempts, where);
    }

    private static HashSet<string> ReadEvents(YamlNode node, string path, List<string> problems)
    {
        var names = node is YamlSequenceNode sequence
            ? sequence.Children.Select(child => YamlNodes.Scalar(child, path, "events")).ToList()
            : [YamlNodes.Scalar(node, path, "events")];
        var events = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (NotificationEvents.All.Contains(name, StringComparer.Ordinal))
            {
                events.Add(name);
            }
            else
            {
                problems.Add($"{YamlNodes.Where(path, node)}: '{name}' is not an event; the events are {string.Join(", ", NotificationEvents.All)}.");
            }
        }

        return events;
    }

    private static double ReadNumber(YamlNode node, string path, string key, double min, double max, List<string> problems, bool whole = false)
    {
        var text = YamlNodes.Scalar(node, path, key);
        var style = whole ? NumberStyles.Integer : NumberStyles.Float;
        var parsed = double.TryParse(text, style, CultureInfo.InvariantCulture, out var value);
        if (parsed && (whole ? value >= min : value > min) && value <= max)
        {
            return value;
        }

        var range = whole ? $"a whole number from {min} to {max}" : $"a number of seconds above {min} and at most {max}";
        problems.Add($"{YamlNodes.Where(path, node)}: '{key}: {text}' must be {range}.");
        return min;
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant)]
    private static partial Regex VariablePattern();
}
