using Cairn.Pipelines.Weather;
using Cairn.Stages.Common;
using Cairn.Tests.Support;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Cairn.Tests.Stages;

/// <summary>Runs the built-in stages (and the sample's cleaning) on given files, each with the given engine; the tests of formats share it.</summary>
internal sealed class TableStages(RecordingBuildEngine engine)
{
    public Ingest Ingest(string output, params string[] sources) => new()
    {
        BuildEngine = engine,
        Sources = [.. sources.Select(s => (ITaskItem)new TaskItem(s))],
        Output = output,
    };

    /// <summary>Ingests and fails the test when the ingest fails.</summary>
    public string Ingested(string output, params string[] sources)
    {
        Ingest(output, sources).Execute().ShouldBeTrue(engine.Log);
        return output;
    }

    public ValidateContract Validate(string input, string contract, string profile, string partition = "") => new()
    {
        BuildEngine = engine,
        Input = input,
        Contract = contract,
        Partition = partition,
        Profile = profile,
    };

    public CleanWeather Clean(string input, string profile, string partition, string features, string quarantine) => new()
    {
        BuildEngine = engine,
        Input = input,
        Contract = SampleData.WeatherContract,
        Profile = profile,
        Partition = partition,
        Features = features,
        Quarantine = quarantine,
    };
}
