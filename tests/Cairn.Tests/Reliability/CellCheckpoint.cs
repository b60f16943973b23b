namespace Cairn.Tests.Reliability;

/// <summary>What one <c>.ok</c> claims: the cell's fingerprint and each output with its hash; and which run wrote it.</summary>
/// <param name="Cell">The stage and partition, e.g. <c>Clean date=2012-01-01</c> or <c>Train</c>.</param>
/// <param name="Fingerprint">The <c>fingerprint</c> field.</param>
/// <param name="Outputs">The <c>outputs</c>, each <c>path hash</c> on its own line, in the file's order.</param>
/// <param name="RunId">The <c>runId</c> field.</param>
internal sealed record CellCheckpoint(string Cell, string Fingerprint, string Outputs, string RunId)
{
    /// <summary>The fingerprint and the outputs: what two checkpoints of the same cell must agree on to be the same result.</summary>
    public string Claim => Fingerprint + "\n" + Outputs;

    public string Stage => Cell.Split(' ')[0];
}
