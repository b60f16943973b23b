namespace Cairn.Tests.Performance;

/// <summary>Moves files' modification times into the past, so the stat cache's racy-clean rule no longer applies to them.</summary>
internal static class FileAges
{
    public static void Backdate(string folder, TimeSpan age)
    {
        var when = DateTime.UtcNow - age;
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            File.SetLastWriteTimeUtc(file, when);
        }
    }
}
