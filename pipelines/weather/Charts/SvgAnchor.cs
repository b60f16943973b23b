namespace Cairn.Pipelines.Weather.Charts;

/// <summary>Which point of a text the given x is: its start, middle or end.</summary>
internal enum SvgAnchor
{
    Start,
    Middle,
    End,
}
