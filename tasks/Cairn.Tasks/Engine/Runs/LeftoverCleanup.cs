using System.IO.Enumeration;
using Cairn.Engine.Workspace;

namespace Cairn.Engine.Runs;

/// <summary>
/// A run that finds no other live run on the workspace (<see cref="CellClaims"/>) owns whatever staging folders and
/// temp files are there: they were left by runs that died, nothing will promote them, and nothing may mistake them for
/// results. A marker (<c>.cairn/running</c>) says whether the last run ended or died, and so does a dead run's claim.
/// Beside live runs, only the staging folders of runs not alive are removed: a temp file may be a live run's, being
/// written, so temp files wait for a run that is alone (the dead run's claim stays till then, to say there was a
/// crash). Only Cairn's own temp files are removed
/// (<see cref="AtomicFile.IsTempFileName"/>), only in the folders the pipeline writes to, <c>checkpoints/</c> and
/// <c>.cairn/</c>, and never through a symbolic link: what a link points to is not the workspace's.
/// </summary>
internal static class LeftoverCleanup
{
    // Hidden and system files too (temp files start with a dot); a folder that cannot be read is an error, not a skip.
    private static readonly EnumerationOptions Everything = new() { AttributesToSkip = 0, IgnoreInaccessible = false, RecurseSubdirectories = true };

    /// <summary>Removes the leftovers of a run that died, and marks this run as running.</summary>
    /// <param name="layout">The workspace.</param>
    /// <param name="outputFolders">The workspace-relative folders the pipeline's stages write into (<c>""</c>: the workspace's top level only).</param>
    /// <param name="runId">This run.</param>
    /// <param name="peers">The other runs on the workspace, alive or dead (none when null); called while none can begin.</param>
    /// <returns>The temp files removed.</returns>
    public static IReadOnlyList<string> Run(WorkspaceLayout layout, IReadOnlyList<string> outputFolders, string runId, ClaimPeers? peers = null)
    {
        var marker = Path.Combine(layout.State, "running");
        var alone = peers?.Alone ?? true;
        var crashed = File.Exists(marker) || peers?.Dead.Count > 0;
        // Directory.Delete removes a symbolic link it meets (the staging folder's own, or one inside it), never what it points to.
        if (alone && Directory.Exists(layout.Staging))
        {
            Directory.Delete(layout.Staging, recursive: true);
        }
        else if (Directory.Exists(layout.Staging))
        {
            foreach (var folder in Directory.EnumerateDirectories(layout.Staging).Where(f => !peers!.Live.Contains(Path.GetFileName(f)) && Path.GetFileName(f) != runId))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        var removed = new List<string>();
        if (crashed && alone)
        {
            foreach (var folder in outputFolders.Select(f => f.Length == 0 ? layout.Root : layout.FullPathOf(f)).Append(layout.Checkpoints).Append(layout.State).Distinct(StringComparer.Ordinal))
            {
                if (!Directory.Exists(folder) || ThroughLink(layout.Root, folder))
                {
                    continue;
                }

                foreach (var temp in TempFiles(folder, recurse: folder != layout.Root))
                {
                    File.Delete(temp);
                    removed.Add(temp);
                }
            }
        }

        Directory.CreateDirectory(layout.State);
        File.WriteAllText(marker, runId + "\n");
        return removed;
    }

    /// <summary>This run ended (whatever its outcome): the next one finds nothing to clean.</summary>
    public static void Ended(WorkspaceLayout layout) => File.Delete(Path.Combine(layout.State, "running"));

    /// <summary>Cairn's temp files in the folder and, when asked, its subfolders, without entering a symbolic link to a folder.</summary>
    private static List<string> TempFiles(string folder, bool recurse) =>
    [
        .. new FileSystemEnumerable<string>(folder, (ref FileSystemEntry entry) => entry.ToFullPath(), Everything)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory && AtomicFile.IsTempFileName(entry.FileName.ToString()),
            ShouldRecursePredicate = (ref FileSystemEntry entry) => recurse && (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        },
    ];

    /// <summary>Whether the folder, or a folder between it and the workspace's root, is a symbolic link.</summary>
    private static bool ThroughLink(string root, string folder)
    {
        for (var path = folder; path.Length > root.Length && path.StartsWith(root, StringComparison.Ordinal); path = Path.GetDirectoryName(path)!)
        {
            if (new DirectoryInfo(path).LinkTarget is not null)
            {
                return true;
            }
        }

        return false;
    }
}
