using System.Text;

namespace Cairn.Pipelines.Weather;

/// <summary>Writes a stage's text output as UTF-8 without BOM, creating its folder, and leaves an identical file untouched.</summary>
internal static class OutputText
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static void Write(string path, string content)
    {
        var bytes = Utf8NoBom.GetBytes(content);
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
        {
            // Unchanged content keeps its timestamp, which helps every tool downstream that looks at it.
            return;
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllBytes(path, bytes);
    }
}
