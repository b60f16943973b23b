using Cairn.Engine.Checkpoints;
using Cairn.Engine.Plan;
using Cairn.Engine.Scan;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Status;

/// <summary>
/// What a run with these arguments would re-run, and why, found without running or writing anything: each cell is
/// bound, fingerprinted and decided exactly as the run does it (<see cref="CellBinder"/>, <see cref="Fingerprint"/>,
/// <see cref="UpToDateCheck"/>), stage by stage in data-flow order. A cell that reads what a stale cell writes is
/// stale too (its input is about to be rewritten), even when its own inputs look unchanged now.
/// </summary>
internal sealed class StatusCheck
{
    // More upstream cells than this are summarized by count.
    private const int UpstreamCellsShown = 3;

    private readonly RunOptions _options;
    private readonly PipelinePlan _plan;
    private readonly CellBinder _binder;
    private readonly CheckpointStore _checkpoints;
    private readonly FileHashes _hashes = new();
    private readonly Dictionary<string, int> _order = new(StringComparer.Ordinal);

    public StatusCheck(RunOptions options, PipelinePlan plan)
    {
        _options = options;
        _plan = plan;
        _binder = new CellBinder(options, plan);
        _checkpoints = new CheckpointStore(new WorkspaceLayout(options.WorkspaceDirectory).Checkpoints);
    }

    public StatusReport Check()
    {
        // Logical path of every output a stale cell will rewrite → that cell's label. Filled stage by stage, read by
        // the stages downstream; a stage's cells are decided in parallel after its producers are all in.
        var changing = new Dictionary<string, (string Stage, string Label)>(StringComparer.Ordinal);
        var stages = new List<StageStatus>();
        var ordered = InDataFlowOrder();
        foreach (var stage in ordered)
        {
            _order[stage.Name] = _order.Count;
        }

        foreach (var stage in ordered)
        {
            var partitions = stage.Definition.Partitioned ? _options.Partitions.Select(p => (string?)p).ToList() : [null];
            var results = new (CellStatus? Stale, IReadOnlyList<BoundFile> Outputs)[partitions.Count];
            Parallel.For(0, partitions.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => results[i] = CheckCell(stage, partitions[i], changing));
            foreach (var (stale, outputs) in results.Where(r => r.Stale is not null))
            {
                foreach (var output in outputs)
                {
                    changing[output.LogicalPath] = (stage.Name, stale!.Label);
                }
            }

            stages.Add(new StageStatus(stage.Name, stage.Definition.Partitioned, partitions.Count, results.Where(r => r.Stale is not null).Select(r => r.Stale!).ToList()));
        }

        return new StatusReport(_plan.Definition.Name, _options.WorkspaceDirectory, _options.Partitions, stages);
    }

    private (CellStatus? Stale, IReadOnlyList<BoundFile> Outputs) CheckCell(StagePlan stage, string? partition, Dictionary<string, (string Stage, string Label)> changing)
    {
        var cell = _binder.Bind(stage, partition);
        var upstream = cell.Inputs.Select(i => (Input: i, Producer: Producer(i.LogicalPath, changing))).Where(u => u.Producer is not null).ToList();
        var hashes = cell.Inputs.Select(i => _hashes.Get(i.FullPath)).ToList();
        var previous = _checkpoints.Read(stage.Name, partition);
        var causes = new List<StaleCause>();
        var missing = cell.Inputs.Where((_, i) => hashes[i] is null).ToList();
        if (missing.Count > 0)
        {
            // Without every input there is no fingerprint to compare; say what is missing and who would write it.
            if (!previous.Exists)
            {
                causes.Add(new StaleCause("first-run", "first run"));
            }

            foreach (var input in missing.Where(m => !upstream.Any(u => u.Input == m)))
            {
                var producers = stage.Producers.Count == 0 ? "no stage writes it" : $"written by {string.Join(" or ", stage.Producers)}";
                causes.Add(new StaleCause("input-missing", $"input missing: {input.LogicalPath} ({producers})") { Path = input.LogicalPath });
            }
        }
        else
        {
            var known = hashes.Select(h => h!).ToList();
            var fingerprint = Fingerprint.Compute(cell, stage.Descriptor.TaskType.FullName!, stage.Descriptor.CodeVersion, known);
            var decision = UpToDateCheck.Decide(cell, fingerprint, stage.Descriptor.CodeVersion, known, previous, _options.IsForced(stage.Name), _hashes, _binder.FullPathOfWorkspaceFile, stage.DirectoryOutputs);
            causes.AddRange(CellDiff.Explain(decision, cell, stage.Descriptor.CodeVersion, known, previous.Checkpoint, _hashes, _binder.FullPathOfWorkspaceFile));
        }

        foreach (var group in upstream.GroupBy(u => u.Producer!.Value.Stage, StringComparer.Ordinal).OrderBy(g => _order[g.Key]))
        {
            var cells = group.Select(u => u.Producer!.Value.Label).Distinct(StringComparer.Ordinal).ToList();
            var shown = string.Join(", ", cells.Take(UpstreamCellsShown));
            var more = cells.Count > UpstreamCellsShown ? $" and {cells.Count - UpstreamCellsShown} more" : string.Empty;
            var verb = cells.Count == 1 ? "is" : "are";
            causes.Add(new StaleCause("upstream", $"upstream {shown}{more} {verb} stale and will re-run first") { UpstreamStage = group.Key, UpstreamCells = cells });
        }

        return causes.Count == 0 ? (null, cell.Outputs) : (new CellStatus(stage.Name, partition, causes), cell.Outputs);
    }

    /// <summary>The stale cell that writes this path, or the directory output it lies in.</summary>
    private static (string Stage, string Label)? Producer(string logicalPath, Dictionary<string, (string Stage, string Label)> changing)
    {
        if (changing.Count == 0)
        {
            return null;
        }

        if (changing.TryGetValue(logicalPath, out var exact))
        {
            return exact;
        }

        for (var slash = logicalPath.LastIndexOf('/'); slash > 0; slash = logicalPath.LastIndexOf('/', slash - 1))
        {
            if (changing.TryGetValue(logicalPath[..slash], out var directory))
            {
                return directory;
            }
        }

        return null;
    }

    /// <summary>Stages with every producer before them, otherwise in pipeline order.</summary>
    private List<StagePlan> InDataFlowOrder()
    {
        var ordered = new List<StagePlan>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var pending = _plan.Stages.ToList();
        while (pending.Count > 0)
        {
            var next = pending.FirstOrDefault(s => s.Producers.All(placed.Contains)) ?? pending[0];
            ordered.Add(next);
            placed.Add(next.Name);
            pending.Remove(next);
        }

        return ordered;
    }
}
