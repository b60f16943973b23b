using Cairn.Engine.Workspace;

namespace Cairn.Engine.Runs;

/// <summary>
/// A run that holds the workspace lock owns whatever staging folders and temp files are there: they were left by
/// runs that died, nothing will promote them, and nothing may mistake them for results. A marker
/// (<c>.cairn/running</c>) says whether the last run ended or died.
/// </summary>
internal static class LeftoverCleanup
{
    /// <summary>Removes the leftovers of a run that died, and marks this run as running.</summary>
    public static void Run(WorkspaceLayout layout, string runId)
    {
        var marker = Path.Combine(layout.State, "running");
        var crashed = File.Exists(marker);
        if (Directory.Exists(layout.Staging))
        {
            Directory.Delete(layout.Staging, recursive: true);
        }

        if (crashed)
        {
            foreach (var root in new[] { layout.Checkpoints, Path.Combine(layout.Root, "data"), Path.Combine(layout.Root, "artifacts"), Path.Combine(layout.Root, "reports") }.Where(Directory.Exists))
            {
                foreach (var temp in Directory.EnumerateFiles(root, ".*.tmp", SearchOption.AllDirectories))
                {
                    File.Delete(temp);
                }
            }
        }

        Directory.CreateDirectory(layout.State);
        File.WriteAllText(marker, runId + "\n");
    }

    /// <summary>This run ended (whatever its outcome): the next one finds nothing to clean.</summary>
    public static void Ended(WorkspaceLayout layout) => File.Delete(Path.Combine(layout.State, "running"));
}
