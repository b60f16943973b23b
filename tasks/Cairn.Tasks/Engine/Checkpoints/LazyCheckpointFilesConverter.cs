using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cairn.Engine.Checkpoints;

/// <summary>Reads a checkpoint's file list as a <see cref="LazyCheckpointFiles"/>; writes any list as the usual JSON array.</summary>
internal sealed class LazyCheckpointFilesConverter : JsonConverter<IReadOnlyList<CheckpointFile>>
{
    public override IReadOnlyList<CheckpointFile> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        LazyCheckpointFiles.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<CheckpointFile> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        foreach (var file in value)
        {
            writer.WriteStartObject();
            writer.WriteString("property", file.Property);
            writer.WriteString("path", file.Path);
            writer.WriteString("hash", file.Hash);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
