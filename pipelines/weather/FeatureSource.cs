namespace Cairn.Pipelines.Weather;

/// <summary>One features file as read: its path, how many rows it held and the dates they span (null when it held none).</summary>
internal sealed record FeatureSource(string Path, int Rows, DateOnly? FirstDate, DateOnly? LastDate);
