using Cairn.Tests.Support;

namespace Cairn.Tests.CommandLine;

/// <summary>
/// What a fresh clone holds for the bootstrappers and the packages (both scripts, the tool manifest, the build files,
/// build/, tasks/, pipelines/ and templates/), copied from this working tree into a test folder, without any bin/ or obj/: its first run
/// restores, builds and compiles as a newcomer's does. Also runs a script there with stdout and stderr kept apart.
/// </summary>
internal static class ScriptCopy
{
    private static readonly string[] Files =
        ["build.sh", "build.ps1", "dotnet-tools.json", "global.json", "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props"];

    private static readonly string[] Folders = ["build", "tasks", "pipelines", "templates"];

    public static string Make(TestEnvironment env, string folder)
    {
        var root = env.CreateFolder(folder);
        foreach (var file in Files)
        {
            File.Copy(Repository.PathOf(file), Path.Combine(root, file));
        }

        foreach (var source in Folders.Select(Repository.PathOf))
        {
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(Repository.Root, file);
                if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                {
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, relative))!);
                File.Copy(file, Path.Combine(root, relative));
            }
        }

        return root;
    }

    /// <summary>Runs a command in the copy; <see cref="ScriptOutput.Stdout"/> and <see cref="ScriptOutput.Stderr"/> are each whole.</summary>
    public static ScriptOutput Run(TestEnvironment env, string root, IEnumerable<string> command, IReadOnlyDictionary<string, string?>? variables = null)
    {
        var stderr = env.PathOf($"stderr-{Guid.NewGuid():N}.txt");
        var environment = new Dictionary<string, string?>(variables ?? new Dictionary<string, string?>()) { ["CAIRN_TEST_STDERR"] = stderr };
        var result = Processes.Run("/bin/sh", ["-c", "exec \"$@\" 2>\"$CAIRN_TEST_STDERR\"", "sh", .. command], root, environment);
        var output = new ScriptOutput(result.ExitCode, result.Output, File.ReadAllText(stderr));
        File.Delete(stderr);
        return output;
    }
}
