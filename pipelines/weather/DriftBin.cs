namespace Cairn.Pipelines.Weather;

/// <summary>
/// One PSI bin of a feature: the values above <see cref="Lower"/> up to and including <see cref="Upper"/> (null: no
/// bound on that side), and how many rows of each window fall in it.
/// </summary>
internal sealed record DriftBin
{
    public required double? Lower { get; init; }

    public required double? Upper { get; init; }

    public required int Training { get; init; }

    public required int Recent { get; init; }
}
