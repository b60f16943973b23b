using System.Collections.Concurrent;

namespace Cairn.Engine.Workspace;

/// <summary>
/// Whether a path may be acted on as the workspace's: a logical path read back from Cairn's state (a checkpoint's
/// outputs) must be relative, stay inside the workspace and out of Cairn's own folders; and no path is deleted or
/// written unless it still lies inside the workspace once every symbolic link on the way is followed. Checkpoints
/// come from elsewhere as often as not (a CI cache restores <c>work/</c>): nothing they name is trusted before this.
/// </summary>
internal sealed class WorkspacePaths
{
    /// <summary>Cairn's own folders at the workspace's top: no output may lie in them, nothing read from state may name them.</summary>
    public static readonly IReadOnlyList<string> ReservedFolders = [".cairn", "checkpoints", "logs"];

    // Links are followed at most this deep, as the kernel does (ELOOP): a loop is not inside anything.
    private const int MaxLinks = 40;

    // The folders remembered at most: the few above every output are what the memory saves lookups of. A folder per
    // partition is looked up once or twice a run, and remembering all of them held 160,000 paths twice at 40,000
    // partitions; when full, the memory starts again and the shared folders come back with the next lookups.
    private const int MaxRemembered = 4096;

    private readonly string _realRoot;
    private readonly string _realRootFolder;
    private ConcurrentDictionary<string, string?> _real = Remembered();
    private int _remembered;

    public WorkspacePaths(string root)
    {
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        _realRoot = Real(Root, 0, remember: true) ?? Root;
        _realRootFolder = _realRoot + Path.DirectorySeparatorChar;
    }

    public string Root { get; }

    /// <summary>Why a logical path read from state cannot name a workspace file, or null when it can.</summary>
    /// <param name="logical">A workspace-relative path with <c>/</c> separators; a directory output's own entry ends in <c>/</c>.</param>
    public static string? LexicalProblem(string logical)
    {
        if (logical.Length == 0)
        {
            return "an empty path";
        }

        if (logical.Contains('\0', StringComparison.Ordinal))
        {
            return "a path holding a NUL character";
        }

        if (logical[0] == '/' || Path.IsPathRooted(logical) || (OperatingSystem.IsWindows() && logical.Contains('\\', StringComparison.Ordinal)))
        {
            return $"{logical}, an absolute path";
        }

        // Read for every output of every checkpoint a no-op reads: the parts are walked in place, not split off.
        var rest = logical.AsSpan(0, logical.EndsWith('/') ? logical.Length - 1 : logical.Length);
        var first = true;
        string? reserved = null;
        while (true)
        {
            var slash = rest.IndexOf('/');
            var part = slash < 0 ? rest : rest[..slash];
            if (part.IsEmpty || part is "." or "..")
            {
                return $"{logical}, which has an empty, '.' or '..' part";
            }

            if (first)
            {
                reserved = ReservedFolder(part);
                first = false;
            }

            if (slash < 0)
            {
                break;
            }

            rest = rest[(slash + 1)..];
        }

        return reserved is null ? null : $"{logical}, which lies in {reserved}/, Cairn's own state";
    }

    private static string? ReservedFolder(ReadOnlySpan<char> part)
    {
        foreach (var folder in ReservedFolders)
        {
            if (part.SequenceEqual(folder))
            {
                return folder;
            }
        }

        return null;
    }

    /// <summary>
    /// Why the path lies outside the workspace once symbolic links are followed (itself included, when it is one), or
    /// null when it lies inside. A path that does not exist yet is judged by the folders above it that do.
    /// </summary>
    public string? OutsideProblem(string fullPath) => OutsideProblem(fullPath, out _);

    /// <summary>
    /// <see cref="OutsideProblem(string)"/>, also giving the path's stat when it is a regular file. The path's own part is
    /// stat'ed, a link not followed, rather than read as a link: for a regular file (nearly every recorded output) that
    /// one call proves it is no link, and its stat is the one a no-op compares with the stat cache next. Anything else
    /// (a link, a folder, what cannot be stat'ed) is read as a link, as every folder above it is.
    /// </summary>
    /// <param name="fullPath">The path to check.</param>
    /// <param name="file">The regular file's stat and the real path it was taken of; null for anything else.</param>
    public string? OutsideProblem(string fullPath, out PathStat? file) => OutsideProblem(fullPath, out _, out file);

    /// <summary><see cref="OutsideProblem(string, out PathStat?)"/>, also saying what the stat found at the path.</summary>
    /// <param name="fullPath">The path to check.</param>
    /// <param name="kind">What is at the path, a link not followed; <see cref="FileStatKind.Other"/> when it was not stat'ed.</param>
    /// <param name="file">The regular file's stat and the real path it was taken of; null for anything else.</param>
    public string? OutsideProblem(string fullPath, out FileStatKind kind, out PathStat? file)
    {
        file = null;
        kind = FileStatKind.Other;
        var path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(fullPath));
        string? real;
        if (Path.GetDirectoryName(path) is not { } parent)
        {
            real = path;
        }
        else if (Real(parent, 0, remember: true) is not { } realParent)
        {
            real = null;
        }
        else
        {
            var here = Path.Join(realParent, Path.GetFileName(path.AsSpan()));
            kind = FileStats.ReadWithoutFollowing(here, out var stat);
            if (kind == FileStatKind.RegularFile)
            {
                file = new PathStat(here, stat);
            }

            // Nothing there is no link either, as readlink would say (ENOENT, ENOTDIR).
            real = kind is FileStatKind.RegularFile or FileStatKind.Missing ? here : Followed(here, realParent, 0);
        }

        if (real is not null && IsInside(real))
        {
            return null;
        }

        file = null;
        return Problem(fullPath, real);
    }

    /// <summary>
    /// Makes the folder (and the folders above it it needs) unless it is there, and says why it lies outside the
    /// workspace once symbolic links are followed, or null. Nothing is made unless the folder above it lies inside.
    /// A folder <c>mkdir</c> made just now is no link and holds nothing: its real path is its parent's joined with its
    /// name, learnt without a <c>readlink</c>, and <paramref name="made"/> tells the caller that nothing is in it.
    /// One that was there already is followed as <see cref="OutsideProblem(string)"/> follows it.
    /// </summary>
    /// <param name="folder">The folder to write in.</param>
    /// <param name="made">Whether this call made the folder (so it is empty).</param>
    /// <exception cref="IOException">The folder could not be made (as <see cref="Directory.CreateDirectory(string)"/> says).</exception>
    /// <exception cref="UnauthorizedAccessException">The folder could not be made for want of permission.</exception>
    public string? MakeFolder(string folder, out bool made)
    {
        var path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var real = Made(path, out made);
        return real is not null && IsInside(real) ? null : Problem(folder, real);
    }

    private bool IsInside(string real) => real.Length == _realRoot.Length ? real == _realRoot : real.StartsWith(_realRootFolder, StringComparison.Ordinal);

    private string Problem(string fullPath, string? real) =>
        real is null
            ? $"{fullPath} goes through more than {MaxLinks} symbolic links"
            : $"{fullPath} is {real} once symbolic links are followed, outside the workspace {Root}";

    /// <summary>The folder's real path, made there first when its parent's real path lies inside; null for a loop.</summary>
    private string? Made(string path, out bool made)
    {
        made = false;
        if (Path.GetDirectoryName(path) is not { } parent || Real(parent, 0, remember: true) is not { } realParent || !IsInside(realParent))
        {
            // The workspace's root or above it, a loop, or a parent outside (whose folder may yet link back inside):
            // judged as a path that is there, and made as before, only if it lies inside.
            return MadeWhereInside(path);
        }

        var here = Path.Join(realParent, Path.GetFileName(path.AsSpan()));
        var result = SystemCalls.MakeFolder(here);
        if (result == -SystemCalls.NoSuchFile && Made(parent, out _) is { } madeParent && IsInside(madeParent))
        {
            // Its parent was missing (a stage's first cells): made above, inside, so this one can be made now.
            result = SystemCalls.MakeFolder(here);
        }

        if (result == 0)
        {
            made = true;
            Remember(path, here);
            return here;
        }

        return result == -SystemCalls.Exists ? Real(path, 0, remember: true) : MadeWhereInside(path);
    }

    /// <summary>The path's real path, the folder made by .NET (which throws what it throws) when that lies inside.</summary>
    private string? MadeWhereInside(string path)
    {
        var real = Real(path, 0, remember: true);
        if (real is not null && IsInside(real))
        {
            Directory.CreateDirectory(path);
        }

        return real;
    }

    private static ConcurrentDictionary<string, string?> Remembered() => new(Environment.ProcessorCount, MaxRemembered + (MaxRemembered / 4), StringComparer.Ordinal);

    /// <summary>The path with every symbolic link along it followed; null for a loop. The folders above a path are remembered.</summary>
    private string? Real(string path, int depth, bool remember)
    {
        if (depth > MaxLinks)
        {
            return null;
        }

        if (Volatile.Read(ref _real).TryGetValue(path, out var known))
        {
            return known;
        }

        var parent = Path.GetDirectoryName(path);
        if (parent is null)
        {
            return path;
        }

        var realParent = Real(parent, depth, remember: true);
        if (realParent is null)
        {
            return null;
        }

        var real = Followed(Path.Join(realParent, Path.GetFileName(path.AsSpan())), realParent, depth);
        if (remember)
        {
            Remember(path, real);
        }

        return real;
    }

    private void Remember(string path, string? real)
    {
        // Counted apart: ConcurrentDictionary.Count takes every lock, and this runs once per folder looked up.
        // A full memory starts over in one that has room for all it will hold: cleared, the old one would shrink
        // to a few dozen buckets and grow again through every size on its way back to 4,096 (in a no-op of
        // 40,000 days, every 4,096 partition folders).
        if (Interlocked.Increment(ref _remembered) > MaxRemembered)
        {
            Volatile.Write(ref _real, Remembered());
            Interlocked.Exchange(ref _remembered, 0);
        }

        // A folder that is no link is its own real path: one string, not an equal copy.
        Volatile.Read(ref _real).TryAdd(path, real == path ? path : real);
    }

    /// <summary>
    /// The part at <paramref name="here"/> (its folder's real path joined with its name) with its link followed, when it
    /// is one. A part that cannot be read is not a link Cairn could follow: it is judged as written.
    /// </summary>
    private string? Followed(string here, string realParent, int depth) =>
        LinkTargets.Of(here) is { } target ? Real(Path.GetFullPath(target, realParent), depth + 1, remember: false) : here;
}
