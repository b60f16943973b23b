using Cairn.Engine.Checkpoints;
using Cairn.Engine.Plan;

namespace Cairn.Engine.Scan;

/// <summary>
/// A cell bound, hashed, fingerprinted and decided, ready to run or to skip. A cell with an input that does not
/// exist has no fingerprint: <see cref="MissingInputs"/> names them (a run refuses to start it; Status explains it).
/// </summary>
internal sealed record CellDecision(CellBinding Cell, string Fingerprint, IReadOnlyList<string> InputHashes, Checkpoint? Previous, Decision Decision)
{
    public IReadOnlyList<BoundFile> MissingInputs { get; init; } = [];
}
