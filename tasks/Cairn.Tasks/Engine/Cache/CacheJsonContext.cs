using System.Text.Json.Serialization;

namespace Cairn.Engine.Cache;

/// <summary>Source-generated JSON for cache entries: camelCase keys, stable order.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(CacheEntry))]
internal sealed partial class CacheJsonContext : JsonSerializerContext
{
}
