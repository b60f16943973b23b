namespace Cairn.Engine.Status;

/// <summary>
/// One reason a cell is stale. Kind is stable for machines (first-run, forced, checkpoint-unreadable, code-changed,
/// parameter-changed, input-changed, input-added, input-removed, input-missing, outputs-rebound, output-missing,
/// output-modified, upstream); Text is the sentence a person reads. Path names the file, Name the parameter,
/// Old/New the hashes or values before and now, UpstreamStage/UpstreamCells the stale cells this one reads from.
/// </summary>
internal sealed record StaleCause(string Kind, string Text)
{
    public string? Path { get; init; }

    public string? Name { get; init; }

    public string? Old { get; init; }

    public string? New { get; init; }

    public string? UpstreamStage { get; init; }

    public IReadOnlyList<string>? UpstreamCells { get; init; }
}
