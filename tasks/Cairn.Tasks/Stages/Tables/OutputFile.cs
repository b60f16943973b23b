namespace Cairn.Stages.Tables;

/// <summary>
/// Opens a file a stage writes from its start. <c>FileMode.Create</c> would do, but .NET on Unix opens with it without
/// <c>O_TRUNC</c> and then truncates with <c>ftruncate</c> once it holds the file's lock, and ext4 takes a truncation to
/// zero as a file being replaced: it starts writing the file to disk when it is closed (<c>auto_da_alloc</c>). A stage's
/// output is a new file in the run's staging folder, so that was a disk write started per output per cell, in the
/// kernel, on a first run. Here a new file is opened as it is and only a file that has bytes is truncated. The engine
/// writes a blob restored from a shared cache the same way. The file's folder is made when the open finds it missing,
/// not asked for before every output (a mkdir and, the folder being there, a stat): in a run the engine has made it.
/// </summary>
internal static class OutputFile
{
    /// <summary>Opens <paramref name="path"/> for writing, empty, created (and its folder) when missing; others may read it meanwhile unless <paramref name="share"/> says not.</summary>
    public static FileStream Create(string path, FileAccess access = FileAccess.Write, int bufferSize = 4096, FileShare share = FileShare.Read)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, access, share, bufferSize);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            stream = new FileStream(path, FileMode.OpenOrCreate, access, share, bufferSize);
        }

        try
        {
            if (stream.Length > 0)
            {
                stream.SetLength(0);
            }

            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }
}
