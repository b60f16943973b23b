using System.Text.Json;

namespace Cairn.Engine.Checkpoints;

/// <summary>
/// The last string read for each of a few checkpoint fields that nearly every cell shares (the tool version, the code
/// version, the run that built them, the output properties): a reader whose value is the same takes the string
/// already made. Shared by the threads of a scan without a lock: a slot holds some whole string at every moment, and
/// a string is only taken after its text was compared.
/// </summary>
internal sealed class RecentStrings
{
    /// <summary>The first slot of the outputs' property names, one per output position.</summary>
    public const int OutputProperty = 20;

    /// <summary>How many output positions have a slot; later ones share the last.</summary>
    public const int OutputProperties = 8;

    private readonly string?[] _slots = new string?[OutputProperty + OutputProperties];

    /// <summary>The string value at the reader, the one already in <paramref name="slot"/> when it is the same text.</summary>
    public string Of(ref Utf8JsonReader reader, int slot)
    {
        if (_slots[slot] is { } known && reader.ValueTextEquals(known))
        {
            return known;
        }

        var value = reader.GetString()!;
        _slots[slot] = value;
        return value;
    }
}
