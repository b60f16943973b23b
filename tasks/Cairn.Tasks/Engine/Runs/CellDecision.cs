using Cairn.Engine.Checkpoints;
using Cairn.Engine.Decisions;

namespace Cairn.Engine.Runs;

/// <summary>A cell bound, fingerprinted and decided, ready to run or to skip.</summary>
internal sealed record CellDecision(CellBinding Cell, string Fingerprint, IReadOnlyList<string> InputHashes, Checkpoint? Previous, Decision Decision);
