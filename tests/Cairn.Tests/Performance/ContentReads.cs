using System.Collections.Concurrent;
using Cairn.Engine.Workspace;

namespace Cairn.Tests.Performance;

/// <summary>
/// Records every file whose content the engine reads to hash it, under one test's folder (tests run in parallel,
/// and the seam is process-wide). Decision reads and post-run re-checks (<see cref="FileHashes.Fresh"/>, which
/// <see cref="FileHashes.Unmoved"/> falls back to for a racy file) apart.
/// </summary>
internal sealed class ContentReads : IDisposable
{
    private readonly string _root;
    private readonly ConcurrentQueue<(string Path, bool Fresh)> _reads = new();

    public ContentReads(string root)
    {
        _root = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        FileHashes.ContentRead += OnRead;
    }

    /// <summary>Files read to decide (not the post-run re-check of a cell's inputs), relative to the test folder, sorted.</summary>
    public IReadOnlyList<string> Decided => _reads.Where(r => !r.Fresh).Select(r => Relative(r.Path)).Order(StringComparer.Ordinal).ToList();

    /// <summary>Files read again to check they did not change while their cell ran, relative to the test folder, sorted.</summary>
    public IReadOnlyList<string> Rechecked => _reads.Where(r => r.Fresh).Select(r => Relative(r.Path)).Order(StringComparer.Ordinal).ToList();

    public int Count => _reads.Count;

    public void Clear() => _reads.Clear();

    public void Dispose() => FileHashes.ContentRead -= OnRead;

    private void OnRead(string path, bool fresh)
    {
        if (path.StartsWith(_root, StringComparison.Ordinal))
        {
            _reads.Enqueue((path, fresh));
        }
    }

    private string Relative(string path) => path[_root.Length..].Replace('\\', '/');
}
