namespace Cairn.Pipelines.Weather;

/// <summary>The training parameters recorded in model.json, written exactly as configured (not rounded).</summary>
internal sealed record RainModelParameters
{
    public required double L2 { get; init; }

    public required int MaxIterations { get; init; }

    public required double Tolerance { get; init; }

    public required int Seed { get; init; }

    public required double HoldoutFraction { get; init; }

    public required int MinTrainingRows { get; init; }
}
