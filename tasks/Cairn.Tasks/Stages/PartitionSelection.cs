namespace Cairn.Stages;

/// <summary>
/// The partitions a run selected: one (<c>--partition</c>), an inclusive range whose ends may be open
/// (<c>--from</c>/<c>--to</c>), or every partition. The one test of whether a key is selected, for the engine (which
/// cells a run has, which partitions a landing stage may write) and for a stage given the selection as text through
/// the <c>{selection}</c> parameter.
/// </summary>
/// <remarks>Keys of one grain sort as text in time order (<c>YYYY-MM-DDTHH</c>, <c>YYYY-MM-DD</c>, <c>YYYY-MM</c>), so a range is an ordinal comparison.</remarks>
internal sealed record PartitionSelection(string? Partition, string? From, string? To)
{
    /// <summary>Between the ends of a range in <see cref="Text"/>.</summary>
    public const string RangeSeparator = "..";

    /// <summary>Every partition: no <c>--partition</c>, <c>--from</c> or <c>--to</c>.</summary>
    public static PartitionSelection All { get; } = new(null, null, null);

    public bool IsAll => Partition is null && From is null && To is null;

    /// <summary>
    /// The selection as the <c>{selection}</c> parameter gives it to a stage: empty for every partition, the key for
    /// one, <c>FROM..TO</c> for a range (an open end left empty: <c>2024-03-01..</c>).
    /// </summary>
    public string Text => Partition ?? (IsAll ? string.Empty : From + RangeSeparator + To);

    /// <summary>How messages name it, as it was given: <c>--partition=KEY</c>, <c>--from=A --to=B</c>; empty for every partition.</summary>
    public string Arguments => Partition is not null ? $"--partition={Partition}"
        : string.Join(' ', new[] { From is null ? null : $"--from={From}", To is null ? null : $"--to={To}" }.Where(a => a is not null));

    public bool Contains(string key) => Partition is not null
        ? string.Equals(key, Partition, StringComparison.Ordinal)
        : (From is null || string.CompareOrdinal(key, From) >= 0) && (To is null || string.CompareOrdinal(key, To) <= 0);

    /// <summary>Reads <see cref="Text"/> back; false for text that is not one (a key holding <c>..</c> twice).</summary>
    public static bool TryParse(string text, out PartitionSelection selection)
    {
        text = text.Trim();
        selection = All;
        if (text.Length == 0)
        {
            return true;
        }

        var at = text.IndexOf(RangeSeparator, StringComparison.Ordinal);
        if (at < 0)
        {
            selection = new PartitionSelection(text, null, null);
            return true;
        }

        var from = text[..at].Trim();
        var to = text[(at + RangeSeparator.Length)..].Trim();
        if (to.Contains(RangeSeparator, StringComparison.Ordinal))
        {
            return false;
        }

        selection = new PartitionSelection(null, from.Length == 0 ? null : from, to.Length == 0 ? null : to);
        return true;
    }
}
