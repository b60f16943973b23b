using System.Text.Json.Serialization;

namespace Cairn.Engine.Checkpoints;

/// <summary>Source-generated JSON for checkpoints: no reflection at run time, camelCase keys, stable order.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Checkpoint))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext
{
}
