using System.Text.Json.Serialization;

namespace Cairn.Engine.Observing;

/// <summary>Source-generated JSON for the run log's JSON columns (arguments, metrics, a stage's partitions).</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, double>))]
[JsonSerializable(typeof(Dictionary<string, double>))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class RunLogJsonContext : JsonSerializerContext
{
}
