namespace Cairn.Tests.Modelling;

/// <summary>One row of the shipped sample pipelines/weather/data/seattle-weather.csv.</summary>
internal sealed record SampleDay(DateOnly Date, double Precipitation, double TempMax, double TempMin, double Wind, string Weather)
{
    public bool Rain => Precipitation > 0;
}
