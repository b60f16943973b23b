using System.Text.Json.Serialization;

namespace Cairn.Engine.Slurm;

/// <summary>Source-generated JSON for what the coordinator and the worker hand each other through the shared workspace.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = false)]
[JsonSerializable(typeof(WorkerManifest))]
[JsonSerializable(typeof(WorkerResult))]
internal sealed partial class SlurmJsonContext : JsonSerializerContext
{
}
