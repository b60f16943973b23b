using Cairn.Pipelines.Weather;
using Cairn.Stages.Common;
using Cairn.Tests.Support;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace Cairn.Tests.Stages;

/// <summary>Runs the data-quality stages on real files in a test environment, each stage with the given engine.</summary>
internal sealed class StageRunner(TestEnvironment env, RecordingBuildEngine engine)
{
    public string Ingested => env.PathOf("stages/ingested.csv");

    public string Profile => env.PathOf("stages/profile.json");

    public string Features => env.PathOf("stages/features.csv");

    public string Quarantine => env.PathOf("stages/quarantine.csv");

    /// <summary>Writes one raw file and ingests it; fails the test if ingesting fails.</summary>
    public string IngestText(string rawCsv, string name = "raw/part-0.csv")
    {
        var raw = env.WriteFile(name, rawCsv);
        var ingest = new IngestCsv { BuildEngine = engine, Sources = [new TaskItem(raw)], Output = Ingested };
        ingest.Execute().ShouldBeTrue(engine.Log);
        return Ingested;
    }

    public ValidateContract Validate(string contract, string partition = "") => new()
    {
        BuildEngine = engine,
        Input = Ingested,
        Contract = contract,
        Partition = partition,
        Profile = Profile,
    };

    public CleanWeather Clean(string contract, string partition) => new()
    {
        BuildEngine = engine,
        Input = Ingested,
        Contract = contract,
        Profile = Profile,
        Partition = partition,
        Features = Features,
        Quarantine = Quarantine,
    };

    public IngestCsv Ingest(params string[] sources) => new()
    {
        BuildEngine = engine,
        Sources = [.. sources.Select(s => (ITaskItem)new TaskItem(s))],
        Output = Ingested,
    };
}
