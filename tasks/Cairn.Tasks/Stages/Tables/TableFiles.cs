namespace Cairn.Stages.Tables;

/// <summary>
/// Opens input files for the readers. A file that is missing or not allowed is the input's problem
/// (<see cref="TableReadException"/>, not retried); any other I/O failure stays an <see cref="IOException"/>, which the
/// engine retries as transient (a flaky disk or network share), now naming the file.
/// </summary>
internal static class TableFiles
{
    /// <summary>Opens a file to read; the default opener of the stages, which tests replace to inject failures.</summary>
    /// <remarks>A small buffer: CsvHelper reads in large blocks of its own; Parquet.Net reads page headers a few bytes at a time.</remarks>
    public static Stream Open(string path) =>
        new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096, FileOptions.SequentialScan);

    /// <summary>Opens <paramref name="path"/> with <paramref name="open"/> as an <see cref="ObservedStream"/>.</summary>
    public static ObservedStream OpenObserved(string path, Func<string, Stream> open)
    {
        try
        {
            return new ObservedStream(open(path), path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new TableReadException(TableProblemKind.Unreadable, $"{path} cannot be read: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new IOException($"{path} could not be opened: {e.Message}", e);
        }
    }
}
