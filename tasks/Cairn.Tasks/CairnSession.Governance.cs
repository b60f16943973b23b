using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Engine.Governance;
using Cairn.Engine.Workspace;

namespace Cairn;

/// <summary>Reviews of cells stopped at a gate: listing them, and a person's approval or rejection.</summary>
public sealed partial class CairnSession
{
    /// <summary>Prints every review, pending first, then decided, newest first within each.</summary>
    public void Reviews()
    {
        var store = new ReviewStore(new WorkspaceLayout(_options.WorkspaceDirectory).State);
        var reviews = store.All();
        if (reviews.Count == 0)
        {
            _output.WriteLine($"No reviews in {Shown(store.Path)}: no cell has stopped at a gate (a stage's review_on: codes).");
            _output.Flush();
            return;
        }

        foreach (var review in reviews.OrderBy(r => r.Status != ReviewStatus.Pending).ThenByDescending(r => r.RequestedAt))
        {
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{review.Id}  {review.Status.ToString().ToLowerInvariant(),-8}  {review.Cell}  requested {review.RequestedAt:yyyy-MM-dd HH:mm:ss}Z by run {review.RunId}  fingerprint {review.Fingerprint[..16]}"));
            foreach (var breach in review.Breaches)
            {
                _output.WriteLine($"  {breach}");
            }

            if (review.Status != ReviewStatus.Pending)
            {
                _output.WriteLine($"  {review.Decision}");
            }
        }

        var pending = reviews.Count(r => r.Status == ReviewStatus.Pending);
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{reviews.Count} reviews, {pending} pending{(pending > 0 ? ": decide with --target=Approve or --target=Reject --review=ID --reason=\"…\"" : string.Empty)}"));
        _output.Flush();
    }

    /// <summary>Approves a pending review (<c>--review=ID --reason=…</c>, <c>--by=NAME</c>): the next run passes the gate for its fingerprint.</summary>
    /// <exception cref="CairnUsageException">The review is unknown or decided already, or an argument is missing.</exception>
    public void Approve() => Decide(approve: true);

    /// <summary>Rejects a pending review (<c>--review=ID --reason=…</c>, <c>--by=NAME</c>): the gate stays shut for its fingerprint.</summary>
    /// <exception cref="CairnUsageException">The review is unknown or decided already, or an argument is missing.</exception>
    public void Reject() => Decide(approve: false);

    private void Decide(bool approve)
    {
        var verb = approve ? "Approve" : "Reject";
        var layout = new WorkspaceLayout(_options.WorkspaceDirectory);
        var store = new ReviewStore(layout.State);
        var problems = new List<string>();
        var id = _options.Arguments.GetValueOrDefault("review");
        var reason = _options.Arguments.GetValueOrDefault("reason");
        if (string.IsNullOrWhiteSpace(id))
        {
            var pending = store.All().Where(r => r.Status == ReviewStatus.Pending).Select(r => $"{r.Id} ({r.Cell})").ToList();
            problems.Add($"{verb} needs --review=ID; {(pending.Count == 0 ? "no review is pending" : $"the pending reviews are {string.Join(", ", pending)}")} (--target=Reviews lists them all).");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            problems.Add($"{verb} needs --reason=\"…\": why, in a sentence, recorded with the decision.");
        }

        if (problems.Count > 0)
        {
            throw new CairnUsageException(problems);
        }

        var by = _options.Arguments.GetValueOrDefault("by") is { Length: > 0 } named ? named : Reviewer();
        WorkspaceLock held;
        try
        {
            held = WorkspaceLock.Acquire(Path.Combine(layout.State, "lock"), wait: !_options.NoWait, say: _output.WriteLine, CancellationToken.None);
        }
        catch (WorkspaceBusyException e)
        {
            throw new CairnUsageException(e.Message, e);
        }

        using (held)
        {
            var all = store.All();
            var review = all.FirstOrDefault(r => r.Id == id);
            if (review is null)
            {
                var pending = all.Where(r => r.Status == ReviewStatus.Pending).Select(r => r.Id).ToList();
                throw new CairnUsageException($"--review={id}: there is no such review in {Shown(store.Path)}; {(pending.Count == 0 ? "no review is pending" : $"the pending ones are {string.Join(", ", pending)}")} (--target=Reviews lists them all).");
            }

            if (review.Status != ReviewStatus.Pending)
            {
                throw new CairnUsageException($"--review={id}: it is decided already, {review.Decision}. A decision stands; a change to what was judged files a new review.");
            }

            var decided = store.Decide(review, approve, by, reason!, DateTimeOffset.UtcNow);
            using (var ledger = new Ledger(layout.State, warning => _output.WriteLine($"warning: {warning}")))
            {
                ledger.Append(approve ? "review_approved" : "review_rejected", new JsonObject
                {
                    ["review"] = decided.Id,
                    ["stage"] = decided.Stage,
                    ["partition"] = decided.Partition,
                    ["fingerprint"] = decided.Fingerprint,
                    ["by"] = decided.DecidedBy,
                    ["reason"] = decided.Reason,
                });
            }

            _output.WriteLine(approve
                ? $"Review {decided.Id} of {decided.Cell}: {decided.Decision}. The next run passes the gate for exactly what was judged (fingerprint {decided.Fingerprint[..16]})."
                : $"Review {decided.Id} of {decided.Cell}: {decided.Decision}. The gate stays shut for it; a change to what was judged files a new review.");
        }

        _output.Flush();
    }

    /// <summary>
    /// Checks the evidence ledger's chain and prints how many entries hold, or the first entry that was changed,
    /// removed or reordered.
    /// </summary>
    /// <exception cref="StatusCheckFailedException">The chain is broken (exit code 1); the problem is printed first.</exception>
    public void Verify()
    {
        var path = Ledger.LedgerPath(new WorkspaceLayout(_options.WorkspaceDirectory).State);
        var (entries, problem) = LedgerVerifier.Verify(path);
        if (problem is null)
        {
            _output.WriteLine(entries == 0
                ? $"Verify: no ledger in {Shown(path)} yet; a run starts it."
                : string.Create(CultureInfo.InvariantCulture, $"Verify: {Shown(path)} holds {entries} entries; the chain is intact."));
            _output.Flush();
            return;
        }

        _output.WriteLine($"Verify: {Shown(path)} is broken: {problem}. The entries before it hold; nothing Cairn reads depends on the ledger, so runs carry on, appending.");
        _output.Flush();
        throw new StatusCheckFailedException($"Verify: the ledger is broken: {problem}.");
    }

    /// <summary>A run token already used for a run with other arguments is refused before anything runs, naming what differs.</summary>
    private static void CheckRunToken(Engine.Plan.RunOptions options)
    {
        if (options.Arguments.GetValueOrDefault("run-token") is not { Length: > 0 } token)
        {
            return;
        }

        var earlier = new RunTokens(new WorkspaceLayout(options.WorkspaceDirectory).State).Of(token);
        if (earlier.Count == 0)
        {
            return;
        }

        var differences = RunTokens.Differences(earlier[0].Identity, RunTokens.IdentityOf(options));
        if (differences.Count > 0)
        {
            throw new CairnUsageException($"--run-token={token} was used by run {earlier[0].RunId} for another run: {string.Join("; ", differences)}. A token names one run: give this one a new token.");
        }
    }

    /// <summary>Who decides when <c>--by</c> is not given: the CI's actor, else user@host.</summary>
    private static string Reviewer() =>
        Environment.GetEnvironmentVariable("GITHUB_ACTOR") is { Length: > 0 } actor ? actor : $"{Environment.UserName}@{Environment.MachineName}";
}
