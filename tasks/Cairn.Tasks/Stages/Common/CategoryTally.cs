namespace Cairn.Stages.Common;

/// <summary>How often a category (or boolean) value occurs, and whether the contract allows it (decided once per distinct value).</summary>
internal sealed class CategoryTally(bool allowed)
{
    public bool Allowed => allowed;

    public long Count { get; set; }
}
