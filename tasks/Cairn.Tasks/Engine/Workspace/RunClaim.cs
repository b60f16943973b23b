namespace Cairn.Engine.Workspace;

/// <summary>One live run's claim (<see cref="CellClaims"/>): its cells by stage (partition keys; "" for a whole-dataset cell), or null when its file cannot be read.</summary>
internal sealed record RunClaim(string RunId, string Holder, IReadOnlyDictionary<string, HashSet<string>>? Cells);
