using System.Collections.Concurrent;
using Cairn.Hashing;

namespace Cairn.Engine.Workspace;

/// <summary>
/// Content hashes of files, each read at most once per run: the same file is often an output of one stage
/// and an input of several. The engine updates an entry when it promotes a new output over that path.
/// </summary>
internal sealed class FileHashes
{
    private readonly ConcurrentDictionary<string, string> _hashes = new(StringComparer.Ordinal);

    /// <returns>The hash, or null when the file does not exist.</returns>
    public string? Get(string fullPath)
    {
        if (_hashes.TryGetValue(fullPath, out var known))
        {
            return known;
        }

        string hash;
        try
        {
            hash = ContentHasher.HashFile(fullPath).ToString();
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        _hashes[fullPath] = hash;
        return hash;
    }

    /// <summary>Hashes the file as it is now, bypassing and refreshing the memo.</summary>
    public string? Fresh(string fullPath)
    {
        _hashes.TryRemove(fullPath, out _);
        return Get(fullPath);
    }

    public void Set(string fullPath, string hash) => _hashes[fullPath] = hash;

    public void Forget(string fullPath) => _hashes.TryRemove(fullPath, out _);

    /// <summary>Forgets every path under a folder (after a directory output was replaced).</summary>
    public void ForgetUnder(string directory)
    {
        var prefix = directory.EndsWith(Path.DirectorySeparatorChar) ? directory : directory + Path.DirectorySeparatorChar;
        foreach (var key in _hashes.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            _hashes.TryRemove(key, out _);
        }
    }
}
