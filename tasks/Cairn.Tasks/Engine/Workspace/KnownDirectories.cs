using System.Collections.Concurrent;

namespace Cairn.Engine.Workspace;

/// <summary>
/// The folders a run has already made, so that the thousands of cells writing into the same few folders (a day's
/// data folder, its log folder, its checkpoint folder) ask the file system to make each one once, not once per file.
/// </summary>
internal sealed class KnownDirectories
{
    private readonly ConcurrentDictionary<string, byte> _made = new(StringComparer.Ordinal);

    /// <summary>Makes the folder (and its parents) unless this run already did.</summary>
    /// <returns>The folder.</returns>
    public string Ensure(string directory)
    {
        if (!_made.ContainsKey(directory))
        {
            Directory.CreateDirectory(directory);
            _made.TryAdd(directory, 0);
        }

        return directory;
    }

    /// <summary>Forgets the folder and every folder under it, after the run removed it.</summary>
    public void ForgetUnder(string directory)
    {
        var prefix = directory.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        foreach (var known in _made.Keys)
        {
            if (known == directory || known.StartsWith(prefix, StringComparison.Ordinal))
            {
                _made.TryRemove(known, out _);
            }
        }
    }
}
