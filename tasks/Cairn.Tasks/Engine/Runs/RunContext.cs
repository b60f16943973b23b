using Cairn.Engine.Checkpoints;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Runs;

/// <summary>What running a cell needs of the run it is part of.</summary>
internal sealed record RunContext(
    string RunId,
    string ToolVersion,
    string Environment,
    WorkspaceLayout Layout,
    FileHashes Hashes,
    CheckpointStore Checkpoints,
    KnownDirectories Directories,
    RunOutput Output,
    RunObservers Observers,
    CancellationToken Cancellation);
