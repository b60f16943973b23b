namespace Cairn.Engine.Plan;

/// <summary>A file bound to a stage property for one cell: its logical path (relative and relocatable) and where it is on disk.</summary>
/// <remarks>
/// The logical path is most often its root's prefix (<c>$raw/</c>, nothing for the workspace) and the tail of the
/// full path: such a file keeps the prefix and where the tail starts, and makes the logical path when it is asked
/// for. A no-op binds every cell again and asks none of a skipped cell's logical paths but the fingerprint's, which
/// reads them in place (<see cref="LogicalHead"/>): a whole-dataset cell at 40,000 partitions binds 80,000 files, and
/// their logical paths were 9 MB of strings made to be dropped.
/// </remarks>
internal sealed class BoundFile : IEquatable<BoundFile>
{
    // The whole logical path, or its head when _tailStart >= 0: the rest is FullPath from _tailStart on.
    private readonly string _logicalHead;
    private readonly int _tailStart;

    public BoundFile(string property, string logicalPath, string fullPath)
        : this(property, logicalPath, fullPath, tailStart: -1)
    {
    }

    private BoundFile(string property, string logicalHead, string fullPath, int tailStart)
    {
        Property = property;
        _logicalHead = logicalHead;
        FullPath = fullPath;
        _tailStart = tailStart;
    }

    public string Property { get; }

    /// <summary>The path as checkpoints and messages name it: <c>data/x.csv</c> in the workspace, <c>$raw/…</c> under the raw folder.</summary>
    public string LogicalPath => _tailStart < 0 ? _logicalHead : string.Concat(_logicalHead, FullPath.AsSpan(_tailStart));

    public string FullPath { get; }

    /// <summary>A file whose logical path is <paramref name="logicalHead"/> followed by <paramref name="fullPath"/> from <paramref name="tailStart"/> on.</summary>
    public static BoundFile WithLogicalTail(string property, string logicalHead, string fullPath, int tailStart)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tailStart);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tailStart, fullPath.Length);
        return new BoundFile(property, logicalHead, fullPath, tailStart);
    }

    /// <summary>The logical path in two pieces, without making it: <see cref="LogicalPath"/> is the head followed by <paramref name="tail"/>.</summary>
    public string LogicalHead(out ReadOnlySpan<char> tail)
    {
        tail = _tailStart < 0 ? default : FullPath.AsSpan(_tailStart);
        return _logicalHead;
    }

    /// <summary>Equal when the property, the logical path and the full path are, however the logical path is held.</summary>
    public bool Equals(BoundFile? other) =>
        other is not null
        && string.Equals(Property, other.Property, StringComparison.Ordinal)
        && string.Equals(FullPath, other.FullPath, StringComparison.Ordinal)
        && ((ReferenceEquals(_logicalHead, other._logicalHead) && _tailStart == other._tailStart)
            || string.Equals(LogicalPath, other.LogicalPath, StringComparison.Ordinal));

    public override bool Equals(object? obj) => Equals(obj as BoundFile);

    // Equal files have equal full paths: the logical path need not be made to hash one.
    public override int GetHashCode() => HashCode.Combine(Property, FullPath);

    public override string ToString() => $"BoundFile {{ Property = {Property}, LogicalPath = {LogicalPath}, FullPath = {FullPath} }}";
}
