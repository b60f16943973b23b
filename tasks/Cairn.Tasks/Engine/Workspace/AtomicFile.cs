using System.Text;
using System.Text.RegularExpressions;

namespace Cairn.Engine.Workspace;

/// <summary>Writes files so that a reader sees either the old content or the new, never half of either.</summary>
internal static partial class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// The temp file a write of <paramref name="path"/> goes through, beside it: <c>.name.pid.guid.tmp</c>. Every temp
    /// file Cairn leaves beside its results is named so (checkpoints, the stat cache, the DAG files), and a file named
    /// so is Cairn's own: a run that died may leave one, and the next run removes it (<see cref="IsTempFileName"/>).
    /// </summary>
    public static string TempPathFor(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

    /// <summary>Whether a file name is one <see cref="TempPathFor"/> gives.</summary>
    public static bool IsTempFileName(string fileName) => TempFileName().IsMatch(fileName);

    /// <summary>Writes to a temp file beside the target, flushes it to disk, then renames it over the target.</summary>
    public static void WriteAllText(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Write(path, content, flushToDisk: true);
    }

    /// <summary>
    /// Writes to a temp file beside the target and renames it over the target, without flushing it to disk: readers
    /// and a killed process still see the old content or the new, whole; the caller makes it durable later, with
    /// others (<see cref="FileSystemSync"/>). The folder must exist.
    /// </summary>
    public static void WriteAllTextUnflushed(string path, string content) => Write(path, content, flushToDisk: false);

    private static void Write(string path, string content, bool flushToDisk)
    {
        var temp = TempPathFor(path);
        var moved = false;
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.None))
            {
                var bytes = Utf8NoBom.GetBytes(content);
                stream.Write(bytes);
                if (flushToDisk)
                {
                    stream.Flush(flushToDisk: true);
                }
            }

            File.Move(temp, path, overwrite: true);
            moved = true;
        }
        finally
        {
            // Only a write that failed leaves its temp file (a stat per checkpoint saved on the way that succeeds).
            if (!moved)
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Writes only when the content differs, so an unchanged file keeps its timestamp.</summary>
    /// <returns>True when the file was written.</returns>
    public static bool WriteAllTextIfChanged(string path, string content)
    {
        if (File.Exists(path) && string.Equals(File.ReadAllText(path, Utf8NoBom), content, StringComparison.Ordinal))
        {
            return false;
        }

        WriteAllText(path, content);
        return true;
    }

    [GeneratedRegex(@"^\..+\.[0-9]+\.[0-9a-f]{32}\.tmp$", RegexOptions.CultureInvariant)]
    private static partial Regex TempFileName();
}
