using System.Text.Json.Serialization;

namespace Cairn.Engine.Notifications;

/// <summary>Source-generated JSON for notification payloads: snake_case keys, values that do not apply left out, one line.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(NotificationEvent))]
internal sealed partial class NotificationJsonContext : JsonSerializerContext
{
}
