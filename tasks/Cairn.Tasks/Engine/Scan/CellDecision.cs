using Cairn.Engine.Checkpoints;
using Cairn.Engine.Plan;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Scan;

/// <summary>
/// A cell bound, hashed, fingerprinted and decided, ready to run or to skip. A cell with an input that does not
/// exist has no fingerprint: <see cref="MissingInputs"/> names them (a run refuses to start it; Status explains it).
/// A cell whose input or output could not be read has none either: <see cref="Problem"/> says why (a run fails the
/// cell, naming it; Status explains it). <see cref="Previous"/>, the checkpoint the cell was last built from, is kept
/// only for a cell that runs (its run removes the recorded outputs it no longer writes): a no-op holds every cell's
/// decision of a stage at once, and a parsed checkpoint was half of each. <see cref="Built"/> says whether there was one.
/// In a run, a skipped cell's <see cref="Cell"/> names it only, without its files and parameters, and its
/// <see cref="Fingerprint"/> and <see cref="InputHashes"/> are empty
/// (<see cref="CellScanner.Scan(Plan.StagePlan, IReadOnlyList{string?}, bool)"/>).
/// </summary>
internal sealed record CellDecision(CellBinding Cell, string Fingerprint, IReadOnlyList<string> InputHashes, Checkpoint? Previous, Decision Decision)
{
    public IReadOnlyList<BoundFile> MissingInputs { get; init; } = [];

    /// <summary>Whether the cell has a checkpoint that could be read (kept as <see cref="Previous"/> only when the cell runs).</summary>
    public bool Built { get; init; } = Previous is not null;

    /// <summary>Each input's hash with the stat it had when hashed, in <see cref="CellBinding.Inputs"/> order: what the check after the cell compares.</summary>
    public IReadOnlyList<FileReading> InputReadings { get; init; } = [];

    /// <summary>Why the cell could not be decided (a file that is not a regular file, an I/O error), or null.</summary>
    public IOException? Problem { get; init; }
}
