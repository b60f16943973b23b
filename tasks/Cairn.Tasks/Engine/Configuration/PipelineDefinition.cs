namespace Cairn.Engine.Configuration;

/// <summary>A pipeline file (<c>pipeline.yaml</c>): its stages, where its tasks live and its sample data.</summary>
internal sealed record PipelineDefinition(
    string Name,
    string FilePath,
    string Directory,
    string AssemblyName,
    string? SamplePath,
    string PartitionColumn,
    IReadOnlyList<StageDefinition> Stages)
{
    /// <summary>Where the run's lifecycle events go (<c>notify:</c>); none when the file has no such list.</summary>
    public IReadOnlyList<NotifierDefinition> Notifiers { get; init; } = [];

    /// <summary>What starts runs when the service runs the pipeline (<c>schedules:</c>); none when the file has no such list.</summary>
    public IReadOnlyList<ScheduleDefinition> Schedules { get; init; } = [];

    public StageDefinition? FindStage(string name) =>
        Stages.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.Ordinal));
}
