namespace Cairn.Engine.Governance;

/// <summary>
/// The change to an input file that a drift review judges: the stage's input property, the file's logical path
/// (<c>$pipeline/config/contract.yaml</c>), the content hash it had when the drift was found (the version the change is
/// made against), and the whole amended text.
/// </summary>
internal sealed record DriftAmendment(string Property, string Path, string BaseHash, string Text);
