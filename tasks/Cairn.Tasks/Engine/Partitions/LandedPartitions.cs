namespace Cairn.Engine.Partitions;

/// <summary>
/// The partitions of a pipeline whose stage fans out (<see cref="FanOutLayout"/>): those its output folder in the
/// workspace holds, read when the run's arguments are and again once the stage has run in the run, and the run's
/// selection of them (<c>--partition</c>, <c>--from</c>/<c>--to</c>), which the landing stage may only then fill.
/// </summary>
internal sealed class LandedPartitions
{
    private readonly string _folder;
    private readonly FanOutLayout _layout;
    private readonly Func<string, bool> _selected;
    private volatile Keys _keys;

    /// <param name="folder">The fan-out output folder, a full path.</param>
    /// <param name="layout">The fan-out output.</param>
    /// <param name="selected">Whether a partition is in the run's selection.</param>
    public LandedPartitions(string folder, FanOutLayout layout, Func<string, bool> selected)
    {
        _folder = folder;
        _layout = layout;
        _selected = selected;
        _keys = Read();
    }

    /// <summary>Every partition landed so far, in order.</summary>
    public IReadOnlyList<string> All => _keys.All;

    /// <summary>The partitions landed so far that the run selected, in order.</summary>
    public IReadOnlyList<string> Selected => _keys.Selected;

    public FanOutLayout Layout => _layout;

    /// <summary>Reads the folder again, once the landing stage has written it.</summary>
    public void Refresh() => _keys = Read();

    private Keys Read()
    {
        IReadOnlyList<string> all = Directory.Exists(_folder) ? PartitionCatalog.Scan(_folder, _layout.Scheme).Keys : [];
        return new Keys(all, all.Where(_selected).ToList());
    }

    private sealed record Keys(IReadOnlyList<string> All, IReadOnlyList<string> Selected);
}
