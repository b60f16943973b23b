namespace Cairn.Engine.Cache;

/// <summary>One output file of a cache entry: its stage property, its workspace-relative path, its SHA-256 (lower-case hex) and size.</summary>
internal sealed record CacheEntryFile(string Property, string Path, string Sha256, long Size);
