using System.Collections.Concurrent;

namespace Cairn.Engine.Plan;

/// <summary>
/// The contract version a stage's cells are built with: the content hash of each data contract
/// (<c>[StageInput(Contract = true)]</c>) that the stage or a stage upstream of it reads, as the file is in this run
/// (a contract changes only between runs: an approval of drift takes the workspace lock). One contract gives its hash;
/// several give <c>path=hash; …</c> in path order; none gives null. A contract's path is taken to be the same for every
/// partition (it is bound with the run's first one).
/// </summary>
internal sealed class ContractVersions
{
    private readonly PipelinePlan _plan;
    private readonly CellBinder _binder;
    private readonly Func<string, string?> _hashOf;
    private readonly string? _partition;
    private readonly ConcurrentDictionary<string, string?> _byStage = new(StringComparer.Ordinal);

    /// <param name="plan">The checked pipeline.</param>
    /// <param name="binder">Binds the contract inputs' paths.</param>
    /// <param name="hashOf">A file's content hash (through the stat cache), or null when it does not exist.</param>
    /// <param name="anyPartition">A partition of the run, to bind a partitioned stage's contract with; null for none.</param>
    public ContractVersions(PipelinePlan plan, CellBinder binder, Func<string, string?> hashOf, string? anyPartition)
    {
        _plan = plan;
        _binder = binder;
        _hashOf = hashOf;
        _partition = anyPartition;
    }

    /// <summary>The contract version of the stage's cells, or null when no contract reaches it.</summary>
    public string? Of(string stage) => _byStage.GetOrAdd(stage, Compute);

    private string? Compute(string stage)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var reaching in _plan.Upstream([stage]).Append(stage).Select(_plan.Stage))
        {
            var contracts = reaching.Descriptor.Inputs.Where(p => p.Contract && reaching.Definition.Inputs.ContainsKey(p.Name)).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            var partition = reaching.Definition.Partitioned ? _partition : null;
            if (contracts.Count == 0 || (reaching.Definition.Partitioned && partition is null))
            {
                continue;
            }

            foreach (var input in _binder.Bind(reaching, partition).Inputs.Where(i => contracts.Contains(i.Property)))
            {
                files[input.LogicalPath] = input.FullPath;
            }
        }

        var versions = files.Select(f => (Path: f.Key, Hash: _hashOf(f.Value) ?? "missing")).ToList();
        return versions.Count switch
        {
            0 => null,
            1 => versions[0].Hash,
            _ => string.Join("; ", versions.Select(v => $"{v.Path}={v.Hash}")),
        };
    }
}
