using Cairn.Engine.Observing;
using Cairn.Engine.Scan;

namespace Cairn.Engine.Reporting;

/// <summary>What an observer gathered about a run as it went, for a summary at its end.</summary>
internal sealed class RunRecord
{
    public RunRecord(IReadOnlyList<string> stages, IReadOnlyList<string> dagEdges)
    {
        Stages = stages;
        DagEdges = dagEdges;
    }

    /// <summary>Every stage of the pipeline, in pipeline order.</summary>
    public IReadOnlyList<string> Stages { get; }

    /// <summary>The pipeline's dependencies as <c>Upstream-&gt;Downstream</c>.</summary>
    public IReadOnlyList<string> DagEdges { get; }

    /// <summary>The pipeline's partition key (<c>partitions: key:</c>), which names a cell's partition: <c>hour=2024-03-01T05</c>.</summary>
    public string PartitionKey { get; init; } = Partitions.PartitionScheme.Default.Key;

    public RunStarted? Started { get; set; }

    public RunFinished? Finished { get; set; }

    /// <summary>Stages that began, in order, whether or not they finished.</summary>
    public List<string> StagesStarted { get; } = [];

    /// <summary>Each stage's cells that were decided to run, with the reason.</summary>
    public Dictionary<string, IReadOnlyList<CellDecision>> Running { get; } = new(StringComparer.Ordinal);

    public List<CellFinished> FailedCells { get; } = [];

    /// <summary>ran, skipped, failed or notrun, for the DAG's colours.</summary>
    public string StateOf(string stage)
    {
        var result = Finished?.Stages.FirstOrDefault(s => s.Stage == stage);
        if (result is not null)
        {
            return result.Failed > 0 ? "failed" : result.Ran > 0 ? "ran" : "skipped";
        }

        // A stage that began and has no result failed before it ran a cell (e.g. a missing input).
        return StagesStarted.Contains(stage) && Finished?.Status != "succeeded" ? "failed" : "notrun";
    }
}
