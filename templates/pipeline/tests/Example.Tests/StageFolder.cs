namespace Example.Tests;

/// <summary>A temp folder for one test's files, removed when the test ends.</summary>
internal sealed class StageFolder : IDisposable
{
    public StageFolder() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "example-tests", Guid.NewGuid().ToString("N"));

    public string Write(string relative, string content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content.ReplaceLineEndings("\n"));
        return path;
    }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>The pipeline's own contract, as the stages read it in a run.</summary>
    public static string Contract => Path.Combine(AppContext.BaseDirectory, "contract.yaml");

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
