using Cairn.Tests.Support;

namespace Cairn.Tests.CommandLine;

/// <summary>
/// One fresh copy of the repository, and the first run of each script in it: build.sh's, then (its bootstrap state
/// and workspace removed) build.ps1's on the same paths, so both meet the same fresh state and print the same paths.
/// </summary>
public sealed class BuildPs1FirstRuns : IDisposable
{
    // Every fourth day of the sample, as BuildScriptTests: enough for Train and the evaluation gate to pass.
    internal const int Days = 366;

    private readonly TestEnvironment _env = new();
    private readonly string _root;

    public BuildPs1FirstRuns()
    {
        SampleRaw.Write(_env, "raw", Days, 4);
        _root = ScriptCopy.Make(_env, "clone");
        Sh = BuildSh("--target=Package");
        Directory.Delete(Path.Combine(_root, ".build", "bootstrap"), recursive: true);
        Directory.Delete(Path.Combine(_root, ".build", "cake-cache"), recursive: true);
        Directory.Delete(_env.PathOf("ws"), recursive: true);
        Ps1 = BuildPs1("--target=Package");
        BesideTheCopy = [.. Directory.EnumerateFileSystemEntries(_env.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
    }

    internal ScriptOutput Sh { get; }

    /// <summary>The copy's root folder.</summary>
    internal string Root => _root;

    internal ScriptOutput Ps1 { get; }

    /// <summary>What the test folder holds beside the copy after both first runs: a script that writes outside its repository adds to it.</summary>
    internal IReadOnlyList<string> BesideTheCopy { get; private set; } = [];

    internal ScriptOutput BuildSh(params string[] arguments) => BuildSh(null, arguments);

    internal ScriptOutput BuildSh(IReadOnlyDictionary<string, string?>? variables, params string[] arguments) =>
        ScriptCopy.Run(_env, _root, ["./build.sh", .. Arguments(arguments)], variables);

    internal ScriptOutput BuildPs1(params string[] arguments) => BuildPs1(null, arguments);

    // The pinned PowerShell comes with the tool manifest: build.sh's first run restored it.
    internal ScriptOutput BuildPs1(IReadOnlyDictionary<string, string?>? variables, params string[] arguments) =>
        ScriptCopy.Run(_env, _root, ["dotnet", "tool", "run", "pwsh", "-NoProfile", "-File", "build.ps1", .. Arguments(arguments)], variables);

    /// <summary>A folder of the test's own, removed with it.</summary>
    internal string CreateFolder(string name) => _env.CreateFolder(name);

    public void Dispose() => _env.Dispose();

    private string[] Arguments(string[] arguments) => [.. arguments, $"--workspace={_env.PathOf("ws")}", $"--raw={_env.PathOf("raw")}"];
}
