namespace Cairn.Engine.Partitions;

/// <summary>How long one partition of a pipeline's landing zone is (<c>partitions: grain:</c>).</summary>
internal enum PartitionGrain
{
    /// <summary>One hour, keyed <c>YYYY-MM-DDTHH</c>.</summary>
    Hour,

    /// <summary>One day, keyed <c>YYYY-MM-DD</c> (the default).</summary>
    Day,

    /// <summary>One month, keyed <c>YYYY-MM</c>.</summary>
    Month,

    /// <summary>No partitions: every stage has one cell.</summary>
    None,
}
