namespace Cairn.Engine.Workspace;

/// <summary>Cells of one stage that another live run holds: who (its run id and, in words, its process), and which.</summary>
/// <param name="RunId">The run that holds them.</param>
/// <param name="Holder">Its process, in words: <c>pid 4242 on ci-7 since 2026-11-22 04:31:02 UTC, --target=Clean</c>.</param>
/// <param name="Stage">The stage.</param>
/// <param name="Partitions">The partitions held, in order (null: the stage's one whole-dataset cell).</param>
internal sealed record HeldCells(string RunId, string Holder, string Stage, IReadOnlyList<string?> Partitions);
