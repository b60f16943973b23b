using System.Security.Cryptography;
using Cairn.Engine.Plan;
using Cairn.Engine.Runs;
using Cairn.Engine.Scan;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Cache;

/// <summary>
/// Looks a stale cell's fingerprint up in the cache and, on a hit, downloads its outputs into staging, each blob
/// checked against its SHA-256. Nothing an entry names is trusted: every path must be one of the cell's own outputs
/// and lie inside the workspace once links are followed, or the entry is refused. Any doubt (a missing or tampered
/// blob, a refused entry) is said once for the cell, which then runs locally. Promotion and the checkpoint are the
/// executor's, exactly as for a cell that ran.
/// </summary>
internal sealed class CacheRestore
{
    private readonly RemoteCache _cache;
    private readonly WorkspaceLayout _layout;
    private readonly WorkspacePaths _paths;
    private readonly Action<string> _warn;

    public CacheRestore(RemoteCache cache, WorkspaceLayout layout, WorkspacePaths paths, Action<string> warn)
    {
        _cache = cache;
        _layout = layout;
        _paths = paths;
        _warn = warn;
    }

    /// <summary>
    /// Whether a stage's cells go through the cache at all: not a stage with an output that adds to what was there (a
    /// history), whose result depends on more than its fingerprint says.
    /// </summary>
    public static bool Cacheable(StagePlan stage) => stage.AccumulatingOutputs.Count == 0;

    /// <summary>Whether cells of the stage are looked up: not when the run only writes, nor for a stage that is not <see cref="Cacheable"/>.</summary>
    public bool Applies(StagePlan stage) => _cache.Settings.Reads && Cacheable(stage);

    /// <returns>The staged, verified outputs; null on a miss or any doubt (said), when the cell runs.</returns>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    /// <exception cref="IOException">Staging failed (the engine's own failure, as for an attempt).</exception>
    public RestoredCell? Fetch(StagePlan stage, CellDecision decision, string stagingFolder, CancellationToken cancellation)
    {
        if (!_cache.Available || !Applies(stage) || decision.Problem is not null || decision.MissingInputs.Count > 0)
        {
            return null;
        }

        var entry = _cache.Lookup(decision.Fingerprint, cancellation);
        if (entry is null)
        {
            return null;
        }

        var cell = decision.Cell;
        var where = $"cache {_cache.Settings.Display}: the entry for {cell.Label} (ac/{decision.Fingerprint})";
        if (Refusal(stage, cell, entry) is { } refusal)
        {
            _warn($"{where} {refusal}; the entry is refused and the cell runs locally.");
            return null;
        }

        OutputPromotion.DeleteStaged(stagingFolder);
        var staged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var output in cell.Outputs)
        {
            var place = Path.Combine(stagingFolder, output.Property);
            if (stage.DirectoryOutputs.Contains(output.Property))
            {
                Directory.CreateDirectory(place);
                staged[output.Property] = place;
            }
            else
            {
                Directory.CreateDirectory(place);
                staged[output.Property] = Path.Combine(place, Path.GetFileName(output.FullPath));
            }
        }

        foreach (var file in entry.Outputs)
        {
            var bytes = _cache.Blob(file.Sha256, cancellation);
            var problem = bytes is null
                ? _cache.Available ? $"names blob cas/{file.Sha256} for {file.Path}, which the cache does not have" : null
                : !string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.Sha256, StringComparison.Ordinal)
                    ? $"names blob cas/{file.Sha256} for {file.Path}, and the bytes the cache gave have SHA-256 {Convert.ToHexStringLower(SHA256.HashData(bytes))}, not that: the blob was rejected"
                    : null;
            if (bytes is null || problem is not null)
            {
                if (problem is not null)
                {
                    _warn($"{where} {problem}; the cell runs locally.");
                }

                OutputPromotion.DeleteStaged(stagingFolder);
                return null;
            }

            var output = cell.Outputs.First(o => o.Property == file.Property);
            var target = stage.DirectoryOutputs.Contains(output.Property)
                ? Path.Combine(staged[output.Property], file.Path[(output.LogicalPath.Length + 1)..])
                : staged[output.Property];
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllBytes(target, bytes);
        }

        return new RestoredCell(staged, entry.Metrics);
    }

    /// <summary>Why the entry cannot be the cell's result, or null: each path must be the cell's own output and lie inside the workspace; each file output must be there once.</summary>
    private string? Refusal(StagePlan stage, Plan.CellBinding cell, CacheEntry entry)
    {
        foreach (var file in entry.Outputs)
        {
            if ((WorkspacePaths.LexicalProblem(file.Path) ?? _paths.OutsideProblem(_layout.FullPathOf(file.Path))) is { } outside)
            {
                return $"names an output path outside the workspace: {outside}";
            }

            if (file.Sha256.Length != 64 || !file.Sha256.All(char.IsAsciiHexDigitLower))
            {
                return $"gives {file.Path} the hash '{file.Sha256}', which is not a SHA-256 in lower-case hex";
            }

            var owner = cell.Outputs.FirstOrDefault(o => o.Property == file.Property);
            var owned = owner is not null && (stage.DirectoryOutputs.Contains(owner.Property)
                ? file.Path.StartsWith(owner.LogicalPath + "/", StringComparison.Ordinal)
                : string.Equals(file.Path, owner.LogicalPath, StringComparison.Ordinal));
            if (!owned)
            {
                return $"names {file.Path} ({file.Property}), which is not an output of the cell";
            }
        }

        foreach (var output in cell.Outputs.Where(o => !stage.DirectoryOutputs.Contains(o.Property)))
        {
            var count = entry.Outputs.Count(f => f.Path == output.LogicalPath);
            if (count != 1)
            {
                return $"has {count} files for the output {output.Property} ({output.LogicalPath}), not one";
            }
        }

        return null;
    }
}
