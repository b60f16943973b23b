namespace Cairn.Stages.Contracts;

/// <summary>How a data file's header differs from its contract.</summary>
public enum HeaderProblemKind
{
    /// <summary>The contract declares a column that the data does not have.</summary>
    Missing,

    /// <summary>The data has a column that the contract does not declare.</summary>
    Extra,

    /// <summary>A missing and an extra column at the same position: most likely a renamed column.</summary>
    Renamed,
}
