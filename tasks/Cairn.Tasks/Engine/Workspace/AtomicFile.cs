using System.Text;
using System.Text.RegularExpressions;

namespace Cairn.Engine.Workspace;

/// <summary>Writes files so that a reader sees either the old content or the new, never half of either.</summary>
internal static partial class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    // A temp file's name is unique by the process's id, a random number drawn once per process and a count: a new
    // Guid for each was a read of /dev/urandom per checkpoint. Another process (or one of the same id, later) draws
    // another number; a name that is taken all the same is not written over (O_EXCL, FileMode.CreateNew).
    private static readonly ulong ProcessNonce = BitConverter.ToUInt64(System.Security.Cryptography.RandomNumberGenerator.GetBytes(sizeof(ulong)));
    private static long s_tempFiles;

    /// <summary>
    /// The temp file a write of <paramref name="path"/> goes through, beside it: <c>.name.pid.guid.tmp</c>. Every temp
    /// file Cairn leaves beside its results is named so (checkpoints, the stat cache, the DAG files), and a file named
    /// so is Cairn's own: a run that died may leave one, and the next run removes it (<see cref="IsTempFileName"/>).
    /// </summary>
    public static string TempPathFor(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{ProcessNonce:x16}{Interlocked.Increment(ref s_tempFiles):x16}.tmp");

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
    /// others (<see cref="FileSystemSync"/>). The folder must exist unless <paramref name="makeFolder"/>: then it is
    /// made when the temp file cannot be created for want of it, rather than asked for before every write.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="content">Its new content.</param>
    /// <param name="makeFolder">Make the file's folder (and those above it) when it is missing.</param>
    public static void WriteAllTextUnflushed(string path, string content, bool makeFolder = false) =>
        WriteAllBytesUnflushed(path, Utf8NoBom.GetBytes(content), makeFolder);

    /// <summary>
    /// <see cref="WriteAllTextUnflushed"/> for content already encoded: a checkpoint is serialized as UTF-8 bytes, not
    /// made a string, copied with its newline and encoded again (a whole-dataset checkpoint is 6-12 MB).
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="bytes">Its new content.</param>
    /// <param name="makeFolder">Make the file's folder (and those above it) when it is missing.</param>
    public static void WriteAllBytesUnflushed(string path, ReadOnlySpan<byte> bytes, bool makeFolder = false)
    {
        // One open, write and close of the temp file and one rename: a FileStream adds an flock and its unlock (for
        // FileShare.None) and an lseek, and File.Move an lstat of the source, to each checkpoint a run writes.
        if (!SystemCalls.Available || !TryWriteDirectly(path, bytes, makeFolder))
        {
            // Not Linux, or an error: written (or failed) as .NET writes it, which throws what .NET throws for it.
            if (makeFolder)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            }

            Write(path, bytes, flushToDisk: false);
        }
    }

    /// <returns>False when any step failed: nothing was renamed, and the temp file is gone.</returns>
    private static bool TryWriteDirectly(string path, ReadOnlySpan<byte> bytes, bool makeFolder)
    {
        var temp = TempPathFor(path);
        var descriptor = SystemCalls.CreateNew(temp);
        if (descriptor == -SystemCalls.NoSuchFile && makeFolder)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            descriptor = SystemCalls.CreateNew(temp);
        }

        if (descriptor < 0)
        {
            return false;
        }

        var written = SystemCalls.WriteAll(descriptor, bytes) == 0;
        var closed = SystemCalls.CloseDescriptor(descriptor) == 0;
        if (written && closed && SystemCalls.RenameOver(temp, path) == 0)
        {
            return true;
        }

        File.Delete(temp);
        return false;
    }

    private static void Write(string path, string content, bool flushToDisk) => Write(path, Utf8NoBom.GetBytes(content), flushToDisk);

    private static void Write(string path, ReadOnlySpan<byte> bytes, bool flushToDisk)
    {
        var temp = TempPathFor(path);
        var moved = false;
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.None))
            {
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
