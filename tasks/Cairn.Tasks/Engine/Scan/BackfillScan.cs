using Cairn.Engine.Plan;

namespace Cairn.Engine.Scan;

/// <summary>
/// Finds a backfill's reach before anything runs, through the run's own <see cref="CellScanner"/>: for each partition
/// that a whole-dataset stage's window reads outside the selection, whether the partitioned cells upstream of it were
/// ever built. A partition never built (no checkpoint, or its outputs gone) joins the run; a built one whose cells are
/// stale (its raw data changed, say) is read as last built and counted, so the run and Status can say so.
/// </summary>
internal static class BackfillScan
{
    /// <param name="options">The run's arguments.</param>
    /// <param name="plan">The checked pipeline.</param>
    /// <param name="scanner">The scanner the run (or Status) decides its cells with.</param>
    /// <param name="stages">The stages the run covers.</param>
    public static Backfill Find(RunOptions options, PipelinePlan plan, CellScanner scanner, IReadOnlySet<string> stages)
    {
        if (options.SelectedBy is null)
        {
            return Backfill.None(options.Partitions);
        }

        var selection = options.Partitions.ToHashSet(StringComparer.Ordinal);
        // Only the stages the target's graph names: a host may run more (the sample's Cake script makes
        // ValidationSummary a dependee of Package, which the graph it hands over does not show), and such a stage
        // reads the partitions built for the others' windows, or stops at the first one missing, naming it.
        var readers = plan.DataFlowOrder
            .Where(s => !s.Definition.Partitioned && stages.Contains(s.Name) && !options.SkippedStages.Contains(s.Name))
            .Where(s => s.Definition.Inputs.Values.Any(t => t.Any(p => p.UsesEach)))
            .Where(s => options.Window(s.Definition).Any(p => !selection.Contains(p)))
            .ToList();
        if (readers.Count == 0)
        {
            return Backfill.None(options.Partitions);
        }

        var outside = readers.SelectMany(s => options.Window(s.Definition)).Where(p => !selection.Contains(p))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var upstream = plan.Upstream(readers.Select(r => r.Name));
        var builders = plan.DataFlowOrder
            .Where(s => s.Definition.Partitioned && upstream.Contains(s.Name) && stages.Contains(s.Name) && !options.SkippedStages.Contains(s.Name))
            .ToList();
        var neverBuilt = new HashSet<string>(StringComparer.Ordinal);
        var stale = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stage in builders)
        {
            var partitions = outside.Where(p => !neverBuilt.Contains(p)).Select(p => (string?)p).ToList();
            foreach (var decision in scanner.Scan(stage, partitions, skippedNamedOnly: true))
            {
                var partition = decision.Cell.Partition!;
                if (!decision.Built || decision.MissingInputs.Count > 0 || decision.Decision.Causes.Any(c => c.Kind == CauseKind.OutputMissing))
                {
                    neverBuilt.Add(partition);
                }
                else if (decision.Decision.Run && decision.Decision.Causes.Any(c => c.Kind != CauseKind.Forced))
                {
                    stale.Add(partition);
                }
            }
        }

        stale.ExceptWith(neverBuilt);
        var cells = options.Partitions.Concat(neverBuilt).Order(StringComparer.Ordinal).ToList();
        return new Backfill(
            cells,
            neverBuilt.Order(StringComparer.Ordinal).ToList(),
            stale.Order(StringComparer.Ordinal).ToList(),
            readers.Select(s => s.Name).ToList(),
            neverBuilt.Count == 0 ? [] : builders.Select(s => s.Name).ToList());
    }
}
