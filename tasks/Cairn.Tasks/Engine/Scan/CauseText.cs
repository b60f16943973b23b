using System.Globalization;

namespace Cairn.Engine.Scan;

/// <summary>
/// The one place a cause becomes words: its stable name for machines (Status's JSON), the sentence Status lists it
/// with, the one-line reason a run prints for a cell (its first cause, with the others of the same kind), and the
/// short form a run groups many cells by.
/// </summary>
internal static class CauseText
{
    // More upstream cells (or changed inputs in a run's reason) than this are summarized by count.
    private const int Shown = 3;
    private const int LongValue = 80;

    // More causes of one per-file kind in one cell than this are one line in Status (a range run after a full one
    // leaves a whole-dataset cell with an "input removed" per other day: thousands of lines otherwise).
    private const int ListedPerKind = 5;

    /// <summary>The cause's kind as Status's JSON names it (README documents the list).</summary>
    public static string JsonName(CauseKind kind) => kind switch
    {
        CauseKind.FirstRun => "first-run",
        CauseKind.Forced => "forced",
        CauseKind.CheckpointUnreadable => "checkpoint-unreadable",
        CauseKind.CodeChanged => "code-changed",
        CauseKind.ParameterChanged => "parameter-changed",
        CauseKind.InputChanged => "input-changed",
        CauseKind.InputAdded => "input-added",
        CauseKind.InputRemoved => "input-removed",
        CauseKind.InputMissing => "input-missing",
        CauseKind.InputUnreadable => "input-unreadable",
        CauseKind.OutputsRebound => "outputs-rebound",
        CauseKind.OutputMissing => "output-missing",
        CauseKind.OutputModified => "output-modified",
        CauseKind.Upstream => "upstream",
        CauseKind.AwaitingApproval => "awaiting-approval",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "a cause kind without a name"),
    };

    /// <summary>The decision a cause leads to when it comes first: an input changed, added or removed are one kind.</summary>
    public static DecisionKind KindOf(CauseKind kind) => kind switch
    {
        CauseKind.FirstRun => DecisionKind.FirstRun,
        CauseKind.Forced => DecisionKind.Forced,
        CauseKind.CheckpointUnreadable => DecisionKind.CheckpointUnreadable,
        CauseKind.CodeChanged => DecisionKind.CodeChanged,
        CauseKind.ParameterChanged => DecisionKind.ParameterChanged,
        CauseKind.InputChanged or CauseKind.InputAdded or CauseKind.InputRemoved => DecisionKind.InputChanged,
        CauseKind.InputMissing => DecisionKind.InputMissing,
        CauseKind.InputUnreadable => DecisionKind.InputUnreadable,
        CauseKind.OutputsRebound => DecisionKind.OutputsRebound,
        CauseKind.OutputMissing => DecisionKind.OutputMissing,
        CauseKind.OutputModified => DecisionKind.OutputModified,
        CauseKind.Upstream => DecisionKind.Upstream,
        CauseKind.AwaitingApproval => DecisionKind.AwaitingApproval,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "a cause kind without a decision"),
    };

    /// <summary>The sentence for one cause, with old and new hashes or values where it has them.</summary>
    public static string Of(Cause cause) => cause.Kind switch
    {
        CauseKind.FirstRun => "first run",
        CauseKind.Forced => "forced",
        CauseKind.CheckpointUnreadable => $"checkpoint unreadable, treated as stale: {cause.Detail}",
        CauseKind.CodeChanged => $"code changed ({Short(cause.Old)} → {Short(cause.New)})",
        CauseKind.ParameterChanged => $"parameter changed: {Parameter(cause)}",
        CauseKind.InputChanged => $"input changed: {cause.Path} ({Short(cause.Old)} → {Short(cause.New)})",
        CauseKind.InputAdded => $"input added: {cause.Path}",
        CauseKind.InputRemoved => $"input removed: {cause.Path}",
        CauseKind.InputMissing => $"input missing: {cause.Path} ({(cause.Detail is null ? "no stage writes it" : "written by " + cause.Detail)})",
        CauseKind.InputUnreadable => $"cannot read {cause.Path}: {cause.Detail}",
        CauseKind.OutputsRebound => cause.Old is null ? Rebound(cause) : $"output paths changed: {cause.Old} → {cause.New}",
        CauseKind.OutputMissing => $"output missing: {cause.Path}",
        CauseKind.OutputModified => cause.Old is null ? NotRecorded(cause) : $"output modified: {cause.Path} ({Short(cause.Old)} → {Short(cause.New)})",
        CauseKind.Upstream => Upstream(cause.UpstreamCells ?? []),
        CauseKind.AwaitingApproval => cause.Detail ?? "awaiting approval",
        _ => throw new ArgumentOutOfRangeException(nameof(cause), cause.Kind, "a cause kind without a text"),
    };

    /// <summary>
    /// The reason a run prints for a cell: its first cause, together with the other causes of the same kind (every
    /// changed parameter; every changed, added and removed input), without hashes.
    /// </summary>
    public static string Reason(IReadOnlyList<Cause> causes)
    {
        var first = causes[0];
        return KindOf(first.Kind) switch
        {
            DecisionKind.CodeChanged => "code changed",
            DecisionKind.ParameterChanged => $"parameter changed ({string.Join("; ", causes.Where(c => c.Kind == CauseKind.ParameterChanged).Select(Parameter))})",
            DecisionKind.InputChanged => Inputs(causes),
            DecisionKind.OutputsRebound => Rebound(first),
            DecisionKind.OutputModified when first.Old is not null => $"output modified: {first.Path}",
            _ => Of(first),
        };
    }

    /// <summary>How a run names the reason of many cells at once, grouped by kind (<paramref name="example"/>: the first cell's reason).</summary>
    public static string Describe(DecisionKind kind, string example) => kind switch
    {
        DecisionKind.FirstRun => "first run",
        DecisionKind.Forced => "forced",
        DecisionKind.CodeChanged => "code changed",
        DecisionKind.InputChanged => "input changed",
        DecisionKind.ParameterChanged => example,
        DecisionKind.OutputMissing => "output missing",
        DecisionKind.OutputModified => "output modified",
        DecisionKind.CheckpointUnreadable => "checkpoint unreadable",
        DecisionKind.OutputsRebound => "output paths changed",
        DecisionKind.InputUnreadable => "input unreadable",
        _ => example,
    };

    /// <summary>
    /// The lines Status lists one cell's causes with, in the order found: each cause's sentence, except that more
    /// than a few causes of one per-file kind (input changed, added, removed or missing, output missing or modified)
    /// become one line with their count and the first paths, e.g. <c>input removed: 1454 files (a, b, c and 1451
    /// more)</c>. With <paramref name="every"/> (Status's <c>--verbose</c>) every cause is a line of its own.
    /// </summary>
    public static IReadOnlyList<string> Lines(IReadOnlyList<Cause> causes, bool every)
    {
        var perKind = causes.Where(c => c.Path is not null).GroupBy(c => c.Kind).ToDictionary(g => g.Key, g => g.Count());
        var lines = new List<string>(causes.Count);
        var written = new HashSet<CauseKind>();
        foreach (var cause in causes)
        {
            if (every || cause.Path is null || perKind[cause.Kind] <= ListedPerKind)
            {
                lines.Add(cause.Text);
            }
            else if (written.Add(cause.Kind))
            {
                var paths = causes.Where(c => c.Kind == cause.Kind && c.Path is not null).Select(c => c.Path!).ToList();
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{JsonName(cause.Kind).Replace('-', ' ')}: {paths.Count:N0} files ({string.Join(", ", paths.Take(Shown))} and {paths.Count - Shown:N0} more)"));
            }
        }

        return lines;
    }

    /// <summary>How Status groups the causes of many stale cells: those that read the same across cells by their text, per-file ones by their kind.</summary>
    public static string Group(Cause cause) => cause.Kind switch
    {
        CauseKind.ParameterChanged or CauseKind.CodeChanged or CauseKind.FirstRun or CauseKind.Forced or CauseKind.AwaitingApproval => cause.Text,
        CauseKind.Upstream => $"upstream {cause.UpstreamStage} is stale",
        _ => JsonName(cause.Kind).Replace('-', ' '),
    };

    /// <summary>Hashes shortened for reading; JSON carries them whole.</summary>
    public static string Short(string? hash) => hash is null ? "none" : hash.Length > 12 ? hash[..12] : hash;

    private static string Parameter(Cause cause) => $"{cause.Parameter}: {Value(cause.Old)} → {Value(cause.New)}";

    /// <summary>
    /// A parameter's value as a reason shows it: whole when short; a long one (a list of approvals, a JSON document) cut
    /// to its start and its length, so one reason stays one readable line. The checkpoint keeps the whole value.
    /// </summary>
    private static string Value(string? value) => value switch
    {
        null => "(none)",
        { Length: <= LongValue } => value,
        _ => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{value[..(LongValue - 20)]}… ({value.Length:N0} chars)"),
    };

    private static string Rebound(Cause cause) => $"output paths changed (was {cause.Detail} at other paths)";

    private static string NotRecorded(Cause cause) => $"output modified: {cause.Path} is not part of the recorded output";

    private static string Upstream(IReadOnlyList<string> cells)
    {
        var more = cells.Count > Shown ? string.Create(CultureInfo.InvariantCulture, $" and {cells.Count - Shown:N0} more") : string.Empty;
        return $"upstream {string.Join(", ", cells.Take(Shown))}{more} {(cells.Count == 1 ? "is" : "are")} stale and will re-run first";
    }

    private static string Inputs(IReadOnlyList<Cause> causes)
    {
        var parts = new List<string>();
        foreach (var (kind, name) in new[] { (CauseKind.InputChanged, "input changed"), (CauseKind.InputAdded, "input added"), (CauseKind.InputRemoved, "input removed") })
        {
            var paths = causes.Where(c => c.Kind == kind).Select(c => c.Path!).ToList();
            if (paths.Count > 0)
            {
                parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: {(paths.Count <= Shown ? string.Join(", ", paths) : $"{string.Join(", ", paths.Take(Shown))} and {paths.Count - Shown:N0} more")}"));
            }
        }

        return string.Join("; ", parts);
    }
}
