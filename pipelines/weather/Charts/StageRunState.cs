using System.Globalization;
using System.Text.RegularExpressions;

namespace Cairn.Pipelines.Weather.Charts;

/// <summary>
/// What a stage did in the run that built the report, as the engine passes it for <c>{run}</c>:
/// <c>Stage=ran R/C</c>, <c>skipped 0/C</c>, <c>failed R/C</c>, <c>running</c> or <c>pending</c>.
/// </summary>
internal sealed partial record StageRunState(string Stage, string State, int Ran, int Cells)
{
    public static bool TryParse(string text, out StageRunState state)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = Pattern().Match(text);
        state = match.Success
            ? new StageRunState(
                match.Groups["stage"].Value,
                match.Groups["state"].Value,
                match.Groups["ran"].Success ? int.Parse(match.Groups["ran"].Value, CultureInfo.InvariantCulture) : 0,
                match.Groups["cells"].Success ? int.Parse(match.Groups["cells"].Value, CultureInfo.InvariantCulture) : 0)
            : new StageRunState(string.Empty, string.Empty, 0, 0);
        return match.Success;
    }

    /// <summary>The Mermaid class: this report's own stage counts as ran; a stage not reached yet as not run.</summary>
    public string ClassName => State switch
    {
        "running" => "ran",
        "pending" => "notrun",
        _ => State,
    };

    /// <summary>What the DAG's node says under the stage name.</summary>
    public string Caption => State switch
    {
        "running" => "built this report",
        "pending" => "not run yet",
        "skipped" => Cells == 1 ? "up to date" : string.Create(CultureInfo.InvariantCulture, $"{Cells} up to date"),
        _ => Cells == 1 ? State : string.Create(CultureInfo.InvariantCulture, $"{State} {Ran} of {Cells}"),
    };

    [GeneratedRegex(@"^(?<stage>[A-Za-z][A-Za-z0-9_]*)=(?<state>ran|skipped|failed|running|pending)(?: (?<ran>\d+)/(?<cells>\d+))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
