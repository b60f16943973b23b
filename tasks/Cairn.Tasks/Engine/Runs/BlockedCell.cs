namespace Cairn.Engine.Runs;

/// <summary>A cell that cannot run because a cell it reads from (<see cref="Upstream"/>, e.g. <c>Ingest date=2013-05-03</c>) failed or was not run.</summary>
internal sealed record BlockedCell(string? Partition, string Upstream)
{
    /// <summary>The upstream cell is held for a person's review (schema drift), rather than failed.</summary>
    public bool Held { get; init; }
}
