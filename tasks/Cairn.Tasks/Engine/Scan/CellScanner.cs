using System.Runtime.ExceptionServices;
using Cairn.Engine.Checkpoints;
using Cairn.Engine.Plan;
using Cairn.Engine.Workspace;
using Cairn.Hashing;

namespace Cairn.Engine.Scan;

/// <summary>
/// The one decision path, for runs and for Status alike: bind each cell, stat and hash its inputs through the stat
/// cache, fingerprint it, read its checkpoint and decide, recording every cause as it goes (as ninja's
/// <c>DependencyScan::RecomputeDirty</c> records its explanations). A run prints the first cause of each cell it
/// runs; Status lists them all.
/// </summary>
internal sealed class CellScanner
{
    private readonly RunOptions _options;
    private readonly CellBinder _binder;
    private readonly CheckpointStore _checkpoints;
    private readonly FileHashes _hashes;
    private readonly Governance.DriftHolds? _holds;

    /// <param name="options">The run's (or Status's) arguments.</param>
    /// <param name="binder">Binds a cell's paths and parameters.</param>
    /// <param name="checkpoints">The workspace's checkpoints.</param>
    /// <param name="hashes">The inputs' hashes, through the stat cache.</param>
    /// <param name="holds">The cells held for a review of schema drift; none are held when null.</param>
    public CellScanner(RunOptions options, CellBinder binder, CheckpointStore checkpoints, FileHashes hashes, Governance.DriftHolds? holds = null)
    {
        _options = options;
        _binder = binder;
        _checkpoints = checkpoints;
        _hashes = hashes;
        _holds = holds;
    }

    /// <summary>Every cell of the stage for these partitions, in their order. Cells are independent: spread over the cores.</summary>
    /// <param name="stage">The stage.</param>
    /// <param name="partitions">Its partitions to scan (null: a whole-dataset stage's one cell).</param>
    /// <param name="skippedNamedOnly">
    /// Whether a skipped cell's decision gets a binding that names the cell only (<see cref="CellBinding.NamedOnly"/>),
    /// without its files and parameters, and neither its fingerprint nor its input hashes (empty). A run asks for it: it
    /// names a skipped cell and reads nothing else of it, and at 40,000 partitions the bindings of a stage's skipped
    /// cells were most of a no-op's memory (a stage's decisions live until its last cell ran, and then wait in the
    /// oldest generation for a full collection). So does a backfill's scan, which reads decisions and causes only.
    /// Status asks for it stage by stage: it follows a skipped cell's inputs to the stale cells upstream that write them,
    /// once there are any. A cell that runs, and a cell scanned alone (<see cref="ScanCell(StagePlan, string?)"/>), keep
    /// their whole binding.
    /// </param>
    public IReadOnlyList<CellDecision> Scan(StagePlan stage, IReadOnlyList<string?> partitions, bool skippedNamedOnly)
    {
        var decided = new CellDecision[partitions.Count];
        try
        {
            Parallel.For(0, partitions.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => decided[i] = ScanCell(stage, partitions[i], skippedNamedOnly));
        }
        catch (AggregateException e)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        return decided;
    }

    /// <summary>The cell's inputs and outputs bound again as they are on disk now (a glob may match other files than before).</summary>
    public CellBinding Bind(StagePlan stage, string? partition) => _binder.Bind(stage, partition);

    /// <summary>
    /// One cell bound, hashed and decided. A file that cannot be read (not a regular file, an I/O error) makes the
    /// cell's decision an <see cref="CauseKind.InputUnreadable"/> one carrying the <see cref="CellDecision.Problem"/>,
    /// so the run fails that cell, naming it, and Status explains it.
    /// </summary>
    public CellDecision ScanCell(StagePlan stage, string? partition) => ScanCell(stage, partition, skippedNamedOnly: false);

    private CellDecision ScanCell(StagePlan stage, string? partition, bool skippedNamedOnly)
    {
        var cell = _binder.Bind(stage, partition);
        try
        {
            return Decide(stage, cell, skippedNamedOnly);
        }
        catch (IOException e)
        {
            return Unreadable(cell, e);
        }
        catch (UnauthorizedAccessException e)
        {
            return Unreadable(cell, new IOException(e.Message, e));
        }
    }

    private static CellDecision Unreadable(CellBinding cell, IOException problem)
    {
        var (path, reason) = problem switch
        {
            NotAFileException n => (n.FilePath, n.Reason),
            UnreadableFileException u => (u.FilePath, u.Reason),
            _ => (null, problem.Message),
        };
        var logical = cell.Inputs.FirstOrDefault(i => i.FullPath == path)?.LogicalPath ?? cell.Outputs.FirstOrDefault(o => o.FullPath == path)?.LogicalPath ?? path ?? "a file of the cell";
        var cause = new Cause(CauseKind.InputUnreadable) { Path = logical, Detail = reason };
        return new CellDecision(cell, string.Empty, [], null, Decision.Of([cause])) { Problem = problem };
    }

    private CellDecision Decide(StagePlan stage, CellBinding cell, bool skippedNamedOnly)
    {
        var partition = cell.Partition;
        var found = _hashes.GetAll(new InputPaths(cell.Inputs));
        var previous = _checkpoints.Read(stage.Name, partition);
        var contents = new ContentHash[found.Length];
        List<BoundFile>? missing = null;
        for (var i = 0; i < contents.Length; i++)
        {
            if (found[i] is { } reading)
            {
                contents[i] = reading.Content;
            }
            else
            {
                (missing ??= []).Add(cell.Inputs[i]);
            }
        }

        if (missing is not null)
        {
            // Without every input there is no fingerprint to compare: say what is missing and who would write it.
            var causes = new List<Cause>();
            if (!previous.Exists)
            {
                causes.Add(Cause.FirstRun);
            }

            var producers = stage.Producers.Count == 0 ? null : string.Join(" or ", stage.Producers);
            causes.AddRange(missing.Select(input => new Cause(CauseKind.InputMissing) { Path = input.LogicalPath, Detail = producers }));
            return new CellDecision(cell, string.Empty, [], previous.Checkpoint, Decision.Of(causes)) { MissingInputs = missing };
        }

        var fingerprint = Fingerprint.Compute(cell, stage.Descriptor.TaskType.FullName!, stage.Descriptor.CodeVersion, contents);
        var hashes = new HashTexts(contents);
        if (_holds?.Of(stage.Name, partition, fingerprint) is { } held)
        {
            // The same data against the same contract as a person is asked to judge: not run, even when forced.
            return new CellDecision(cell, fingerprint, [.. hashes], previous.Checkpoint, Decision.Of([held]));
        }

        var decision = UpToDateCheck.Decide(
            cell,
            fingerprint,
            stage.Descriptor.CodeVersion,
            hashes,
            previous,
            _options.IsForced(stage.Name),
            _hashes,
            _binder.FullPathOfWorkspaceFile,
            stage.DirectoryOutputs);
        // The readings are what the check after a run compares, the checkpoint what its promotion cleans up after; a
        // cell that is skipped keeps neither (a no-op holds every cell's decision of a stage, and at 40,000 partitions
        // the stats and the parsed checkpoints would be most of its memory). The hashes stay 16 bytes each for a cell
        // that runs too: read as text about once per input (its checkpoint), where a first run holds every cell's
        // decision of a stage until the stage ends (120,000 strings of 86 bytes at 40,000 partitions for Clean).
        return decision.Run
            ? new CellDecision(cell, fingerprint, hashes, previous.Checkpoint, decision) { InputReadings = Array.ConvertAll(found, r => r!) }
            : skippedNamedOnly ? new CellDecision(cell.NamedOnly(), string.Empty, [], null, decision) { Built = true }
            : new CellDecision(cell, fingerprint, hashes, null, decision) { Built = true };
    }
}
