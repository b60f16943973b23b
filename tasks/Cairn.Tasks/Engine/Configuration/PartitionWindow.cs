namespace Cairn.Engine.Configuration;

/// <summary>A schedule's <c>partitions:</c>: which partitions each of its runs takes; <see cref="Days"/> for <c>last N days</c>.</summary>
internal sealed record PartitionWindow(PartitionWindowKind Kind, int Days = 0)
{
    public static PartitionWindow All { get; } = new(PartitionWindowKind.All);

    public override string ToString() => Kind switch
    {
        PartitionWindowKind.All => "all",
        PartitionWindowKind.PreviousHour => "previous_hour",
        PartitionWindowKind.PreviousDay => "previous_day",
        PartitionWindowKind.PreviousMonth => "previous_month",
        PartitionWindowKind.LastDays => $"last {Days} days",
        PartitionWindowKind.Arrived => "arrived",
        _ => "same",
    };
}
