namespace Cairn.Engine.Scan;

/// <summary>
/// The run/skip decision for one cell: every cause the scan found, in the order it found them, and the one-line
/// reason a run prints (its first cause, with the others of the same kind).
/// </summary>
internal sealed record Decision(DecisionKind Kind, string Reason, IReadOnlyList<Cause> Causes)
{
    public bool Run => Kind != DecisionKind.UpToDate;

    public static Decision UpToDate { get; } = new(DecisionKind.UpToDate, "up to date", []);

    public static Decision Of(IReadOnlyList<Cause> causes) =>
        causes.Count == 0 ? UpToDate : new(CauseText.KindOf(causes[0].Kind), CauseText.Reason(causes), causes);
}
