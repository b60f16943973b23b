namespace Cairn.Engine.Scan;

/// <summary>
/// One reason a cell is stale, as the scan found it. <see cref="CauseText"/> turns it into what people and machines
/// read. Path names the file (logical), Parameter the parameter, Old/New the hashes or values before and now;
/// Detail is what else a kind needs to be told: the checkpoint's problem (checkpoint-unreadable), the stages that
/// write a missing input (input-missing), the recorded output properties (outputs-rebound).
/// UpstreamStage/UpstreamCells name the stale cells this one reads from.
/// </summary>
internal sealed record Cause(CauseKind Kind)
{
    public static Cause FirstRun { get; } = new(CauseKind.FirstRun);

    public static Cause Forced { get; } = new(CauseKind.Forced);

    public string? Path { get; init; }

    public string? Parameter { get; init; }

    public string? Old { get; init; }

    public string? New { get; init; }

    public string? Detail { get; init; }

    public string? UpstreamStage { get; init; }

    public IReadOnlyList<string>? UpstreamCells { get; init; }

    /// <summary>The sentence a person reads for this cause alone (Status lists every cause this way).</summary>
    public string Text => CauseText.Of(this);
}
