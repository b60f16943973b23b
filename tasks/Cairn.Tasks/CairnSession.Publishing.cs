using Cairn.Engine.Governance;
using Cairn.Engine.Publishing;
using Cairn.Engine.Workspace;

namespace Cairn;

/// <summary>The published versions of a pipeline's package: pointing <c>LATEST</c> back at an earlier one, and what produced one.</summary>
public sealed partial class CairnSession
{
    /// <summary>The target that points <c>LATEST</c> at an earlier version; its <c>--to</c> names a version, not a day.</summary>
    public const string RollbackTarget = "Rollback";

    /// <summary>
    /// Points the publishing stage's <c>LATEST</c> at the version <c>--to</c> names (a prefix of its hash or of its
    /// folder's name), under the workspace lock. Every cell stays up to date: publication is no cell's output.
    /// </summary>
    /// <exception cref="CairnUsageException">No stage publishes, no version is published yet, or <c>--to</c> is missing or names none or several.</exception>
    public void Rollback()
    {
        var (stage, versions, chosen) = PublishedVersion("Rollback", "to", "a prefix of the version's hash that LATEST should name");
        var to = stage.Definition.Publish!.To;
        var layout = new WorkspaceLayout(_options.WorkspaceDirectory);
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
            var before = versions.Latest();
            versions.PointLatestAt(chosen);
            using (var ledger = new Ledger(layout.State, warning => _output.WriteLine($"warning: {warning}")))
            {
                ledger.Append("latest_moved", new System.Text.Json.Nodes.JsonObject { ["to"] = to, ["version"] = chosen, ["was"] = before });
            }

            _output.WriteLine(before == chosen
                ? $"Rollback: {to}/LATEST already names {chosen}; nothing changed."
                : $"Rollback: {to}/LATEST names {chosen} (was {before ?? "nothing"}). Every cell stays up to date; the next run that builds a new version publishes it.");
        }

        _output.Flush();
    }

    /// <summary>
    /// Prints what produced the published version <c>--artifact</c> names (a prefix of its hash or of its folder's
    /// name): the run that built and published it and what it was asked to do, its files and the inputs it was derived
    /// from with their hashes, its parameters and <c>--set</c> values, and the approvals that let it through a gate.
    /// </summary>
    /// <exception cref="CairnUsageException">No stage publishes, no version is published yet, or <c>--artifact</c> is missing or names none or several.</exception>
    public void Lineage()
    {
        var (_, versions, chosen) = PublishedVersion("Lineage", "artifact", "a prefix of the hash of the version to trace");
        var ledger = Ledger.LedgerPath(new WorkspaceLayout(_options.WorkspaceDirectory).State);
        var folder = Path.Combine(versions.Folder, chosen);
        foreach (var line in PackageLineage.Describe(folder, Shown(folder), ledger, Shown(ledger), versions.Latest() == chosen))
        {
            _output.WriteLine(line);
        }

        _output.Flush();
    }

    /// <summary>The publishing stage, its versions, and the one version the argument's prefix names; else a usage error listing them.</summary>
    private (Engine.Plan.StagePlan Stage, PackageVersions Versions, string Chosen) PublishedVersion(string verb, string argument, string meaning)
    {
        var stage = _plan.Stages.FirstOrDefault(s => s.Definition.Publish is not null)
            ?? throw new CairnUsageException($"{verb}: no stage of {Shown(_plan.Definition.FilePath)} publishes versions; give the stage that builds packages 'publish: {{to: artifacts}}'.");
        var versions = new PackageVersions(Path.Combine(_options.WorkspaceDirectory, stage.Definition.Publish!.To));
        var all = versions.List();
        var shown = Shown(versions.Folder);
        if (all.Count == 0)
        {
            throw new CairnUsageException($"{verb}: no packages yet in {shown}; a run that builds {stage.Name} publishes the first (./build.sh --target={stage.Name}).");
        }

        string Listing() => $"The versions, newest first:\n{string.Join("\n", versions.Lines())}";
        if (!_options.Arguments.TryGetValue(argument, out var prefix) || prefix.Length == 0)
        {
            throw new CairnUsageException($"{verb} needs --{argument}=HASH, {meaning}. {Listing()}");
        }

        var matches = versions.Matching(prefix);
        if (matches.Count != 1)
        {
            throw new CairnUsageException(matches.Count == 0
                ? $"--{argument}={prefix}: no version in {shown} has that hash; give a prefix of one of them. {Listing()}"
                : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"--{argument}={prefix}: {matches.Count:N0} versions start with it ({string.Join(", ", matches.Select(m => m.Name))}); give more of the hash. {Listing()}"));
        }

        return (stage, versions, matches[0].Name);
    }
}
