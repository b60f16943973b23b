using System.Text.Json.Nodes;
using Cairn.Engine.Observing;
using Cairn.Engine.Runs;
using Cairn.Engine.Scan;

namespace Cairn.Engine.Governance;

/// <summary>Writes a run's start and end, every cell's attempts, failed or successful, and every review filed to the evidence ledger.</summary>
internal sealed class LedgerObserver(Ledger ledger) : IRunObserver
{
    public void OnRunStarted(RunStarted run) => ledger.Append("run_started", new JsonObject
    {
        ["run_id"] = run.RunId,
        ["pipeline"] = run.Pipeline,
        ["target"] = run.Target,
        ["environment"] = run.Environment,
        ["partitions"] = run.Partitions.Count,
        ["first_partition"] = run.Partitions.Count > 0 ? run.Partitions[0] : null,
        ["last_partition"] = run.Partitions.Count > 0 ? run.Partitions[^1] : null,
        ["arguments"] = new JsonObject(run.Arguments.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => KeyValuePair.Create(a.Key, (JsonNode?)JsonValue.Create(a.Value)))),
        ["overrides"] = new JsonObject(run.ParameterOverrides.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => KeyValuePair.Create(a.Key, (JsonNode?)JsonValue.Create(a.Value)))),
        ["tool_version"] = run.ToolVersion,
    });

    public void OnStageDecided(string runId, string stage, IReadOnlyList<CellDecision> decisions)
    {
    }

    public void OnCellFinished(CellFinished cell) => ledger.Append("cell_attempt", new JsonObject
    {
        ["run_id"] = cell.RunId,
        ["stage"] = cell.Stage,
        ["partition"] = cell.Partition,
        ["attempts"] = cell.Attempt,
        ["succeeded"] = cell.Succeeded,
        ["failure"] = cell.Failure,
        ["reason"] = cell.Reason,
        ["fingerprint"] = cell.Fingerprint,
        ["contract_version"] = cell.ContractVersion,
    });

    public void OnReviewRequested(ReviewRequested review) => ledger.Append("review_requested", new JsonObject
    {
        ["run_id"] = review.RunId,
        ["review"] = review.ReviewId,
        ["stage"] = review.Stage,
        ["partition"] = review.Partition,
        ["fingerprint"] = review.Fingerprint,
        ["breaches"] = new JsonArray(review.Breaches.Select(b => (JsonNode)JsonValue.Create(b)!).ToArray()),
    });

    public void OnStageFinished(string runId, StageResult result)
    {
    }

    public void OnRunFinished(RunFinished run) => ledger.Append("run_finished", new JsonObject
    {
        ["run_id"] = run.RunId,
        ["status"] = run.Status,
        ["failure"] = run.Failure,
    });
}
