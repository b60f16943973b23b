namespace Cairn.Pipelines.Weather.Charts;

/// <summary>A value axis from 0 to a round top with round steps (1, 2 or 5 times a power of ten), about five of them.</summary>
internal sealed record AxisScale(double Top, double Step)
{
    private static readonly double[] Multiples = [1, 2, 5, 10];

    public static AxisScale For(double max)
    {
        if (!(max > 0) || !double.IsFinite(max))
        {
            return new AxisScale(1, 0.2);
        }

        var rough = max / 5;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = Multiples.Select(m => m * power).First(s => s >= rough);
        return new AxisScale(Math.Ceiling(max / step - 1e-9) * step, step);
    }

    public IEnumerable<double> Ticks()
    {
        var count = (int)Math.Round(Top / Step);
        return Enumerable.Range(0, count + 1).Select(i => i * Step);
    }
}
