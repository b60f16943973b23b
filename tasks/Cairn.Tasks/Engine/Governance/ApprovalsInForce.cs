using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Engine.Checkpoints;
using Cairn.Engine.Plan;

namespace Cairn.Engine.Governance;

/// <summary>
/// The approvals a stage's cells are built under (the <c>{approvals}</c> parameter): for each gated stage upstream of
/// it (<c>review_on:</c>), every approved review whose fingerprint is that of the gated cell's checkpoint now, so the
/// cell's outputs are there because a person let them through. One compact JSON object per approval (review, stage,
/// partition, approved_by, approved_at, reason, breaches), in stage, partition and review order: the same approvals
/// always give the same text, and a change of them (a new approval, a gate passed on its own again) re-runs the stage.
/// </summary>
internal sealed class ApprovalsInForce
{
    private readonly PipelinePlan _plan;
    private readonly ReviewStore _reviews;
    private readonly CheckpointStore _checkpoints;

    public ApprovalsInForce(PipelinePlan plan, ReviewStore reviews, CheckpointStore checkpoints)
    {
        _plan = plan;
        _reviews = reviews;
        _checkpoints = checkpoints;
    }

    /// <summary>The approvals in force for the stage's upstream gates, one JSON object each.</summary>
    public IReadOnlyList<string> Of(string stage)
    {
        var upstream = Upstream(stage);
        return _reviews.All()
            .Where(r => r.Status == ReviewStatus.Approved && upstream.Contains(r.Stage))
            .Where(r => _checkpoints.Read(r.Stage, r.Partition).Checkpoint is { } checkpoint && string.Equals(checkpoint.Fingerprint, r.Fingerprint, StringComparison.Ordinal))
            .OrderBy(r => r.Stage, StringComparer.Ordinal)
            .ThenBy(r => r.Partition, StringComparer.Ordinal)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .Select(Json)
            .ToList();
    }

    /// <summary>One approval as <see cref="Of"/> gives it.</summary>
    public static string Json(Review review)
    {
        var entry = new JsonObject { ["review"] = review.Id, ["stage"] = review.Stage };
        if (review.Partition is not null)
        {
            entry["partition"] = review.Partition;
        }

        entry["approved_by"] = review.DecidedBy;
        entry["approved_at"] = review.DecidedAt?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        entry["reason"] = review.Reason;
        entry["breaches"] = new JsonArray(review.Breaches.Select(b => (JsonNode)JsonValue.Create(b)!).ToArray());
        return entry.ToJsonString();
    }

    /// <summary>The gated stages whose outputs reach the stage, directly or through others.</summary>
    private HashSet<string> Upstream(string stage)
    {
        var seen = _plan.Upstream([stage]);
        seen.RemoveWhere(s => _plan.Stage(s).Definition.ReviewOn.Count == 0);
        return seen;
    }
}
