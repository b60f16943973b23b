using System.Text;

namespace Cairn.Tests.Support;

/// <summary>
/// A disposable temp folder for one test. Files are made through it; on dispose the folder is removed.
/// </summary>
internal sealed class TestEnvironment : IDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public TestEnvironment()
    {
        Root = Path.Combine(Path.GetTempPath(), "cairn-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public string CreateFolder(string relative)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(path);
        return path;
    }

    public string WriteFile(string relative, string content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, Utf8NoBom);
        return path;
    }

    public string WriteBytes(string relative, byte[] content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    public string ReadFile(string relative) => File.ReadAllText(PathOf(relative));

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }

        Directory.Exists(Root).ShouldBeFalse($"test folder {Root} leaked");
    }
}
