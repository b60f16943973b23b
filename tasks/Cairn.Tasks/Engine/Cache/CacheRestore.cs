using System.Security.Cryptography;
using Cairn.Engine.Plan;
using Cairn.Engine.Runs;
using Cairn.Engine.Scan;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Cache;

/// <summary>
/// Looks a stage's stale cells up in the cache, all at once, and, for each hit, downloads its outputs into staging,
/// each blob checked against its SHA-256 (<see cref="Prefetch"/>). Nothing an entry names is trusted: every path must be one of the cell's own outputs
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

    /// <summary>
    /// Looks every stale cell of the stage up at once and downloads the outputs of each hit into staging, up to
    /// <see cref="InFlight"/> requests at a time over the cache's one client (kept-alive connections), before any cell
    /// of the stage runs. A blob that several cells share is downloaded once; a blob whose bytes the workspace already
    /// holds at the output's own path (same size and SHA-256) is copied from there, not downloaded. Each downloaded
    /// blob is checked against its SHA-256 as it streams in; nothing else is checked again.
    /// </summary>
    /// <param name="stage">The stage whose cells are looked up.</param>
    /// <param name="decisions">The stage's decided cells; only those decided to run, with every input readable, are looked up.</param>
    /// <param name="stagedOutputs">Where a cell's outputs are staged, by property (file outputs at a file path, directory outputs at a folder path), made ready to write.</param>
    /// <param name="cancellation">The run's.</param>
    /// <returns>The cells restored, each with its staged and verified outputs; a cell not there runs (a miss, or a doubt said once for it).</returns>
    /// <exception cref="OperationCanceledException">The run was cancelled; what was staged is removed.</exception>
    public IReadOnlyList<RestoredCell> Prefetch(StagePlan stage, IReadOnlyList<CellDecision> decisions, Func<CellBinding, IReadOnlyDictionary<string, string>> stagedOutputs, CancellationToken cancellation)
    {
        var restored = new List<RestoredCell>();
        var candidates = decisions.Where(d => d.Decision.Run && d.Problem is null && d.MissingInputs.Count == 0).ToList();
        if (!_cache.Available || !Applies(stage) || candidates.Count == 0)
        {
            return restored;
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = cancellation };
        var entries = new CacheEntry?[candidates.Count];
        Parallel.ForEachAsync(Enumerable.Range(0, candidates.Count), options, async (i, token) =>
            entries[i] = _cache.Available ? await _cache.LookupAsync(candidates[i].Fingerprint, token).ConfigureAwait(false) : null)
            .GetAwaiter().GetResult();

        var hits = new List<CacheHit>();
        for (var i = 0; i < candidates.Count; i++)
        {
            if (entries[i] is not { } entry)
            {
                continue;
            }

            var cell = candidates[i].Cell;
            if (Refusal(stage, cell, entry) is { } refusal)
            {
                _warn($"{Where(cell, candidates[i].Fingerprint)} {refusal}; the entry is refused and the cell runs locally.");
                continue;
            }

            var staged = stagedOutputs(cell);
            foreach (var folder in stage.DirectoryOutputs.Where(staged.ContainsKey))
            {
                // A directory output is a folder even when the entry names no file in it.
                Directory.CreateDirectory(staged[folder]);
            }

            var files = entry.Outputs.Select(file =>
            {
                var output = cell.Outputs.First(o => o.Property == file.Property);
                var target = stage.DirectoryOutputs.Contains(output.Property)
                    ? Path.Combine(staged[output.Property], file.Path[(output.LogicalPath.Length + 1)..])
                    : staged[output.Property];
                return (File: file, Target: target);
            }).ToList();
            hits.Add(new CacheHit(candidates[i], entry, staged, files));
        }

        // One download per distinct blob; the other cells that name it get a copy.
        var blobs = hits.SelectMany(h => h.Files.Select(f => (Hit: h, f.File, f.Target))).GroupBy(f => f.File.Sha256, StringComparer.Ordinal).ToList();
        var problems = new System.Collections.Concurrent.ConcurrentDictionary<CacheHit, string>(ReferenceEqualityComparer.Instance);
        try
        {
            Parallel.ForEachAsync(blobs, options, async (blob, token) =>
            {
                var first = blob.First();
                string? problem;
                try
                {
                    problem = !_cache.Available ? "the cache is down"
                        : LocalCopy(blob.Select(b => b.File), first.Target) is not null ? null
                        : await _cache.DownloadAsync(first.File, first.Target, token).ConfigureAwait(false);
                    foreach (var copy in problem is null ? blob.Skip(1) : [])
                    {
                        Directory.CreateDirectory(Path.GetDirectoryName(copy.Target)!);
                        File.Copy(first.Target, copy.Target, overwrite: true);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Staging here failed, not the cache: the cells run, and fail with the same cause if it persists.
                    problem = $"names blob cas/{first.File.Sha256} for {first.File.Path}, which could not be staged: {e.Message}";
                }

                if (problem is not null)
                {
                    foreach (var named in blob)
                    {
                        problems.TryAdd(named.Hit, problem);
                    }
                }
            }).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            OutputPromotion.DeleteStaged(hits.SelectMany(h => h.Staged.Values));
            throw;
        }

        foreach (var hit in hits)
        {
            if (problems.TryGetValue(hit, out var problem))
            {
                if (_cache.Available)
                {
                    _warn($"{Where(hit.Decision.Cell, hit.Decision.Fingerprint)} {problem}; the cell runs locally.");
                }

                OutputPromotion.DeleteStaged(hit.Staged.Values);
                continue;
            }

            restored.Add(new RestoredCell(hit.Decision.Cell.Partition, hit.Staged, hit.Entry.Metrics));
        }

        return restored;
    }

    /// <summary>How many requests go to the cache at once while a stage's cells are looked up and downloaded.</summary>
    internal const int InFlight = 24;

    private string Where(CellBinding cell, string fingerprint) => $"cache {_cache.Settings.Display}: the entry for {cell.Label} (ac/{fingerprint})";

    /// <summary>
    /// Copies the blob to <paramref name="target"/> from an output path that already holds it (same size, then the same
    /// SHA-256), sparing the download.
    /// </summary>
    /// <returns>The path copied from; null when no output path holds those bytes.</returns>
    private string? LocalCopy(IEnumerable<CacheEntryFile> names, string target)
    {
        foreach (var file in names)
        {
            var local = _layout.FullPathOf(file.Path);
            try
            {
                var info = new FileInfo(local);
                if (!info.Exists || info.Length != file.Size || info.LinkTarget is not null)
                {
                    continue;
                }

                using (var stream = File.OpenRead(local))
                {
                    if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(stream)), file.Sha256, StringComparison.Ordinal))
                    {
                        continue;
                    }
                }

                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(local, target, overwrite: true);
                return local;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not readable here: the cache's copy is downloaded instead.
            }
        }

        return null;
    }

    /// <summary>Why the entry cannot be the cell's result, or null: each path must be the cell's own output and lie inside the workspace; each file output must be there once.</summary>
    private string? Refusal(StagePlan stage, CellBinding cell, CacheEntry entry)
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
                return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"has {count:N0} files for the output {output.Property} ({output.LogicalPath}), not one");
            }
        }

        return null;
    }
}
