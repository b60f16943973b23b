using Cairn.Engine.Checkpoints;
using Cairn.Engine.Plan;

namespace Cairn.Engine.Scan;

/// <summary>A cell bound, fingerprinted and decided, ready to run or to skip.</summary>
internal sealed record CellDecision(CellBinding Cell, string Fingerprint, IReadOnlyList<string> InputHashes, Checkpoint? Previous, Decision Decision);
