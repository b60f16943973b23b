using Cairn.Engine.Runs;
using Cairn.Engine.Scan;
using Cairn.Engine.Plan;
using System.Globalization;

namespace Cairn.Engine.Inspecting;

/// <summary>The arguments of the targets that run no stage: <c>--format</c>, <c>--check</c>, <c>--limit</c>, <c>--run</c>, <c>--verbose</c>, <c>--summary</c>.</summary>
internal sealed record InspectionOptions(bool Json, bool Check, int Limit, string? Run)
{
    public const int DefaultLimit = 20;

    /// <summary>Status lists every stale cell and every cause, none grouped.</summary>
    public bool Verbose { get; init; }

    /// <summary>History prints one summary of the last runs instead of the table.</summary>
    public bool Summary { get; init; }

    /// <summary>Reads the arguments, adding a problem with its fix for each value that cannot be used.</summary>
    public static InspectionOptions Parse(IReadOnlyDictionary<string, string> arguments, List<string> problems)
    {
        // Cake passes a switch given without a value (--check) as an empty value.
        var format = arguments.GetValueOrDefault("format") is { Length: > 0 } given ? given : "text";
        if (format is not ("text" or "json"))
        {
            problems.Add($"--format={format}: use --format=text (the default) or --format=json.");
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

        return new InspectionOptions(format == "json", check, limit, run) { Verbose = verbose, Summary = summary };
    }

    /// <summary>Reads arguments already checked by <see cref="RunArguments.Parse"/>.</summary>
    /// <exception cref="CairnUsageException">A value cannot be used; every problem is named with its fix.</exception>
    public static InspectionOptions Parse(IReadOnlyDictionary<string, string> arguments)
    {
        var problems = new List<string>();
        var options = Parse(arguments, problems);
        return problems.Count > 0 ? throw new CairnUsageException(problems) : options;
    }
}
