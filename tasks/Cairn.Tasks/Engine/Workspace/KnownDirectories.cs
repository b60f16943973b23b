using System.Collections.Concurrent;

namespace Cairn.Engine.Workspace;

/// <summary>
/// The folders a run has already made, so that the thousands of cells writing into the same few folders (a day's
/// data folder, its log folder, its checkpoint folder) ask the file system to make each one once, not once per file.
/// A run forgets them when each stage ends (<see cref="ForgetAll"/>): the folders a stage makes are mostly its own,
/// and kept for the whole run they were a few hundred thousand strings at 40,000 partitions.
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

    /// <summary>Whether this run made the folder (or found it made) and has not forgotten it since.</summary>
    public bool Knows(string directory) => _made.ContainsKey(directory);

    /// <summary>Remembers a folder the run made (or found made) by other means than <see cref="Ensure"/>.</summary>
    public void Add(string directory) => _made.TryAdd(directory, 0);

    /// <summary>How many folders it remembers.</summary>
    public int Count => _made.Count;

    /// <summary>
    /// Forgets every folder. Forgetting is always safe: a folder asked for again is made again (making one that exists
    /// is a no-op), at the cost of one system call for each folder a later stage shares with an earlier one.
    /// </summary>
    public void ForgetAll() => _made.Clear();

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
