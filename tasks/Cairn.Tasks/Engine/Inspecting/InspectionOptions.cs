using Cairn.Engine.Exporting;
using Cairn.Engine.Runs;
using Cairn.Engine.Scan;
using Cairn.Engine.Plan;
using System.Globalization;

namespace Cairn.Engine.Inspecting;

/// <summary>The arguments of the targets that run no stage: <c>--format</c>, <c>--output</c>, <c>--check</c>, <c>--limit</c>, <c>--run</c>, <c>--verbose</c>, <c>--summary</c>.</summary>
internal sealed record InspectionOptions(bool Json, bool Check, int Limit, string? Run)
{
    public const int DefaultLimit = 20;

    /// <summary>Status lists every stale cell and every cause, none grouped.</summary>
    public bool Verbose { get; init; }

    /// <summary>History prints one summary of the last runs instead of the table.</summary>
    public bool Summary { get; init; }

    /// <summary>Export's orchestrator (<c>--format=airflow|github-actions</c>); null for every other target.</summary>
    public string? ExportFormat { get; init; }

    /// <summary>Export's <c>--output</c> as given, null when left out.</summary>
    public string? Output { get; init; }

    /// <summary>Reads the arguments, adding a problem with its fix for each value that cannot be used.</summary>
    public static InspectionOptions Parse(IReadOnlyDictionary<string, string> arguments, string target, List<string> problems)
    {
        // Cake passes a switch given without a value (--check) as an empty value.
        var given = arguments.GetValueOrDefault("format");
        var export = string.Equals(target, CairnSession.ExportTarget, StringComparison.Ordinal);
        var format = given is { Length: > 0 } ? given : export ? null : "text";
        if (export && !OrchestratorExport.Formats.Contains(format, StringComparer.Ordinal))
        {
            problems.Add($"{(format is null ? "Export needs --format" : $"--format={format}")}: give the orchestrator to export to, {string.Join(" or ", OrchestratorExport.Formats.Select(f => "--format=" + f))} (e.g. ./build.sh --target=Export --format=airflow).");
        }
        else if (!export && format is not ("text" or "json"))
        {
            problems.Add($"--format={format}: use --format=text (the default) or --format=json{(OrchestratorExport.Formats.Contains(format, StringComparer.Ordinal) ? $"; --format={format} is for --target=Export" : string.Empty)}.");
        }

        var output = arguments.GetValueOrDefault("output");
        if (arguments.ContainsKey("output") && string.IsNullOrEmpty(output))
        {
            problems.Add("--output needs a file, e.g. --output=dags/weather.py, or --output=- for stdout.");
        }
        else if (output is not null && !export)
        {
            problems.Add($"--output={output}: only --target=Export writes to --output; drop it.");
        }

        var check = RunArguments.Switch("check", arguments, problems);
        var limit = DefaultLimit;
        if (arguments.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1))
        {
            problems.Add($"--limit={limitText}: give a whole number of runs, at least 1, e.g. --limit=50.");
        }

        var run = arguments.GetValueOrDefault("run");
        if (arguments.ContainsKey("run") && string.IsNullOrEmpty(run))
        {
            problems.Add("--run needs a run id, e.g. --run=20261122T043000Z-1234-ab12 (./build.sh --target=History lists them).");
        }

        var verbose = RunArguments.Switch("verbose", arguments, problems);
        var summary = RunArguments.Switch("summary", arguments, problems);
        if (summary && run is { Length: > 0 })
        {
            problems.Add($"--summary and --run={run}: --summary sums up the last runs (--limit=N), --run shows one run's cells; give one of them.");
        }

        return new InspectionOptions(format == "json", check, limit, run)
        {
            Verbose = verbose,
            Summary = summary,
            ExportFormat = export ? format : null,
            Output = output is { Length: > 0 } ? output : null,
        };
    }

    /// <summary>Reads arguments already checked by <see cref="RunArguments.Parse"/>.</summary>
    /// <exception cref="CairnUsageException">A value cannot be used; every problem is named with its fix.</exception>
    public static InspectionOptions Parse(IReadOnlyDictionary<string, string> arguments, string target)
    {
        var problems = new List<string>();
        var options = Parse(arguments, target, problems);
        return problems.Count > 0 ? throw new CairnUsageException(problems) : options;
    }
}
