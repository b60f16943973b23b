namespace Cairn.Engine.Workspace;

/// <summary>What a stat of a path found.</summary>
internal enum FileStatKind
{
    /// <summary>A regular file; its <see cref="FileStat"/> is valid.</summary>
    RegularFile,

    /// <summary>Nothing at that path (or a parent is not a folder).</summary>
    Missing,

    /// <summary>A folder, or a path the stat could not answer for: hash it the slow way, cache nothing.</summary>
    Other,

    /// <summary>A FIFO, a socket or a device: never an input (opening or reading one can block for ever).</summary>
    NotAFile,

    /// <summary>A symbolic link, itself: only <see cref="FileStats.ReadWithoutFollowing"/> says so.</summary>
    SymbolicLink,
}
