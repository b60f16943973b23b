using Cairn.Engine.Scan;

namespace Cairn.Engine.Cache;

/// <summary>A stale cell the cache has a sound entry for, with where each blob the entry names is staged.</summary>
internal sealed record CacheHit(CellDecision Decision, CacheEntry Entry, IReadOnlyDictionary<string, string> Staged, IReadOnlyList<(CacheEntryFile File, string Target)> Files);
