namespace Cairn.Engine.Scan;

/// <summary>The run/skip decision for one cell, with the reason a person reads.</summary>
internal sealed record Decision(DecisionKind Kind, string Reason)
{
    public bool Run => Kind != DecisionKind.UpToDate;

    public static Decision UpToDate { get; } = new(DecisionKind.UpToDate, "up to date");
}
