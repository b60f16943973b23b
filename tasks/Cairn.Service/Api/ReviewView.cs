using Cairn.Engine.Governance;
using Cairn.Engine.Workspace;
using Cairn.Service.Hosting;
using Cairn.Service.Pipelines;

namespace Cairn.Service.Api;

/// <summary>
/// A review of a cell stopped at its gate (<c>review_on:</c>) as GET /api/reviews shows it: the engine's record in the
/// pipeline's <c>.cairn/governance/reviews.jsonl</c>, and, while it is pending, the commands that decide it.
/// </summary>
internal sealed record ReviewView(
    string Pipeline,
    string Id,
    string Status,
    string Stage,
    string? Partition,
    string Cell,
    IReadOnlyList<string> Breaches,
    string Fingerprint,
    string RunId,
    DateTimeOffset RequestedAt,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Reason,
    string? Approve,
    string? Reject)
{
    /// <summary>
    /// The reviews of the pipelines given, read through the engine's store as <c>--target=Reviews</c> reads them:
    /// pending first, then decided, newest first within each (the store keeps whole seconds: of two filed in one
    /// second, the one filed later).
    /// </summary>
    public static IReadOnlyList<ReviewView> Of(ServiceState state, IEnumerable<ServedPipeline> pipelines) =>
        pipelines
            .SelectMany(p => new ReviewStore(new WorkspaceLayout(p.Workspace).State).All().Select((r, filed) => (View: Of(state, p, r), Filed: filed)))
            .OrderBy(r => r.View.Status != "pending")
            .ThenByDescending(r => r.View.RequestedAt)
            .ThenByDescending(r => r.Filed)
            .Select(r => r.View)
            .ToList();

    private static ReviewView Of(ServiceState state, ServedPipeline pipeline, Review review)
    {
        var pending = review.Status == ReviewStatus.Pending;
        return new ReviewView(
            pipeline.Name,
            review.Id,
            review.Status.ToString().ToLowerInvariant(),
            review.Stage,
            review.Partition,
            review.Cell,
            review.Breaches,
            review.Fingerprint,
            review.RunId,
            review.RequestedAt,
            review.DecidedBy,
            review.DecidedAt,
            review.Reason,
            pending ? Command(state, pipeline, "Approve", review.Id) : null,
            pending ? Command(state, pipeline, "Reject", review.Id) : null);
    }

    /// <summary>
    /// The command line that decides the review, run from the repository's root, with the locations the service's runs
    /// take: the workspace unless it is the pipeline's default (<c>work/NAME</c>), so the decision lands in the
    /// workspace the service reads, and the landing zone when the service was given one (the CLI checks it is there).
    /// </summary>
    private static string Command(ServiceState state, ServedPipeline pipeline, string verb, string id)
    {
        var root = state.Arguments.RepositoryRoot;
        var workspace = Shown(root, pipeline.Workspace);
        var named = workspace == Path.Combine("work", pipeline.Name) ? string.Empty : $" --workspace={workspace}";
        if (pipeline.RunArguments.ContainsKey("raw"))
        {
            named += $" --raw={Shown(root, pipeline.Raw)}";
        }

        return $"./build.sh --target={verb} --pipeline={pipeline.Name}{named} --review={id} --reason=\"…\"";
    }

    /// <summary>A path relative to the repository's root when it lies inside it, else whole; quoted when it has a space.</summary>
    private static string Shown(string root, string path)
    {
        var full = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(root, full);
        var shown = relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative;
        return shown.Contains(' ', StringComparison.Ordinal) ? $"\"{shown}\"" : shown;
    }
}
