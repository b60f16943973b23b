using System.Text.Json;

namespace Cairn.Tests.Support;

/// <summary>The crash-safety promise checked on a workspace: every checkpoint points at outputs that exist with the content it recorded.</summary>
internal static class IntactCheckpoints
{
    public static void ShouldHoldIn(string workspace)
    {
        if (!Directory.Exists(Path.Combine(workspace, "checkpoints")))
        {
            return;
        }

        foreach (var ok in Directory.EnumerateFiles(Path.Combine(workspace, "checkpoints"), "*.ok", SearchOption.AllDirectories))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(ok));
            foreach (var output in json.RootElement.GetProperty("outputs").EnumerateArray())
            {
                var path = output.GetProperty("path").GetString()!;
                var hash = output.GetProperty("hash").GetString()!;
                if (hash == "directory")
                {
                    continue;
                }

                var file = Path.Combine(workspace, path);
                File.Exists(file).ShouldBeTrue($"{ok} points at {path}, which is missing");
                Cairn.Hashing.ContentHasher.HashFile(file).ToString().ShouldBe(hash, $"{ok} points at {path}, whose content differs");
            }
        }
    }
}
