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
            if (review.Drift is { } drift)
            {
                _output.WriteLine($"  schema drift against {drift.Path} (contract version {drift.BaseHash[..16]}); approving writes the change into it:");
            }

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
        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{reviews.Count:N0} reviews, {pending:N0} pending{(pending > 0 ? ": decide with --target=Approve or --target=Reject --review=ID --reason=\"…\"" : string.Empty)}"));
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

            // A drift's change is written before the decision is: a crash between them leaves the contract amended and
            // the review pending, and the next run judges the data against the amended contract (no drift, so it runs).
            var amended = approve && review.Drift is not null ? AmendForDrift(review) : null;
            var quarantined = !approve && review.Drift is not null ? RawFilesOf(review) : null;
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
                if (amended is { } contract)
                {
                    // The previous text is kept here: the contract's history is the ledger's.
                    ledger.Append("contract_amended", new JsonObject
                    {
                        ["review"] = decided.Id,
                        ["path"] = review.Drift!.Path,
                        ["previous_version"] = review.Drift.BaseHash,
                        ["version"] = contract.Version,
                        ["changes"] = new JsonArray(review.Breaches.Select(b => (JsonNode)JsonValue.Create(b)!).ToArray()),
                        ["previous_text"] = contract.PreviousText,
                    });
                }

                if (quarantined is not null)
                {
                    var files = new JsonArray(quarantined.Select(f => (JsonNode)new JsonObject { ["path"] = f.Path, ["hash"] = f.Hash }).ToArray());
                    new DriftQuarantine(layout.State).Add(decided, files);
                    ledger.Append("raw_quarantined", new JsonObject
                    {
                        ["review"] = decided.Id,
                        ["partition"] = decided.Partition,
                        ["reason"] = decided.Reason,
                        ["files"] = files.DeepClone(),
                    });
                }
            }

            if (review.Drift is not null)
            {
                _output.WriteLine(approve
                    ? $"Review {decided.Id} of {decided.Cell}: {decided.Decision}. {review.Drift.Path} now holds the accepted change ({string.Join(", ", decided.Breaches)}): contract version {review.Drift.BaseHash[..16]} → {amended!.Value.Version[..16]}, the previous text kept in the ledger. The held cells run on the next run."
                    : $"Review {decided.Id} of {decided.Cell}: {decided.Decision}. The drifted cells stay held; the partition's raw files are quarantined ({string.Join(", ", quarantined!.Select(f => f.Path))}; {Shown(DriftQuarantine.PathIn(layout.State))}).");
            }
            else
            {
                _output.WriteLine(approve
                    ? $"Review {decided.Id} of {decided.Cell}: {decided.Decision}. The next run passes the gate for exactly what was judged (fingerprint {decided.Fingerprint[..16]})."
                    : $"Review {decided.Id} of {decided.Cell}: {decided.Decision}. The gate stays shut for it; a change to what was judged files a new review.");
            }
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
                : string.Create(CultureInfo.InvariantCulture, $"Verify: {Shown(path)} holds {entries:N0} entries; the chain is intact."));
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

    /// <summary>
    /// Writes a drift review's amended file, atomically, when the file is still the version the drift was found
    /// against. The file is found through the pipeline as it is now (the stage's input of that property for that
    /// partition), never through a path read back from the review.
    /// </summary>
    /// <returns>The file's new version (content hash) and its previous text.</returns>
    /// <exception cref="CairnUsageException">The pipeline no longer reads the file, or it changed since the drift was found.</exception>
    private (string Version, string PreviousText)? AmendForDrift(Review review)
    {
        var drift = review.Drift!;
        var file = _plan.Stages.Any(s => s.Name == review.Stage)
            ? new Engine.Plan.CellBinder(_options, _plan).Bind(_plan.Stage(review.Stage), review.Partition).Inputs.FirstOrDefault(i => i.Property == drift.Property && i.LogicalPath == drift.Path)
            : null;
        if (file is null)
        {
            throw new CairnUsageException($"--review={review.Id}: stage '{review.Stage}' no longer reads {drift.Path} as its {drift.Property} in {_plan.Definition.FilePath}, so the change cannot be written; reject the review, or restore the pipeline.");
        }

        var previous = File.ReadAllText(file.FullPath);
        var now = Hashing.ContentHasher.HashFile(file.FullPath).ToString();
        if (!string.Equals(now, drift.BaseHash, StringComparison.Ordinal))
        {
            throw new CairnUsageException($"--review={review.Id}: {drift.Path} changed since the drift was found (version {drift.BaseHash[..16]} then, {now[..16]} now), so the change was made against another contract. Run again: the data is judged against the contract as it is, and a drift that remains files a new review.");
        }

        AtomicFile.WriteAllText(file.FullPath, drift.Text);
        return (Hashing.ContentHasher.HashFile(file.FullPath).ToString(), previous);
    }

    /// <summary>The partition's raw files (inputs under the raw landing zone of any of its cells), with their hashes now.</summary>
    private List<(string Path, string Hash)> RawFilesOf(Review review)
    {
        var binder = new Engine.Plan.CellBinder(_options, _plan);
        return _plan.Stages
            .Where(s => s.Definition.Partitioned == (review.Partition is not null))
            .SelectMany(s => binder.Bind(s, review.Partition).Inputs)
            .Where(i => i.LogicalPath.StartsWith("$raw/", StringComparison.Ordinal) && File.Exists(i.FullPath))
            .DistinctBy(i => i.LogicalPath)
            .Select(i => (i.LogicalPath, Hashing.ContentHasher.HashFile(i.FullPath).ToString()))
            .ToList();
    }

    /// <summary>Who decides when <c>--by</c> is not given: the CI's actor, else user@host.</summary>
    private static string Reviewer() =>
        Environment.GetEnvironmentVariable("GITHUB_ACTOR") is { Length: > 0 } actor ? actor : $"{Environment.UserName}@{Environment.MachineName}";
}
