using System.Diagnostics;
using System.Text.RegularExpressions;
using Cairn.Tests.CommandLine;
using Cairn.Tests.Support;

namespace Cairn.Tests.Packaging;

/// <summary>
/// Cairn as a user gets it, made once for the tests that check it: the three packages packed from a copy of this tree
/// (a version of their own, so no package cache holds an older build of it), the template installed into a private
/// <c>dotnet new</c> home, and a repository made with <c>dotnet new cairn</c> in a temp folder whose parent
/// <c>nuget.config</c> adds the packed feed to the machine's own sources, as the README tells a user to. The
/// repository is then used as a user would, step by step (each step's output kept for the tests to check): two
/// <c>./build.sh</c> runs, Status, Cake's --description and --tree, <c>dotnet test</c>, a task of the user's own on a
/// stage's target, a cycle written into the pipeline file, <c>dotnet new</c> asked again, and a second pipeline. How
/// long the steps took is kept for the report.
/// </summary>
public sealed partial class GeneratedRepository : IDisposable
{
    private readonly TestEnvironment _env = new();

    public GeneratedRepository()
    {
        var source = ScriptCopy.Make(_env, "cairn");
        Version = $"{CairnVersion()}-test.{Guid.NewGuid():N}"[..24];
        Feed = _env.CreateFolder("feed");
        var clock = Stopwatch.StartNew();
        foreach (var project in Projects)
        {
            Pack(source, project, Feed);
        }

        PackSeconds = clock.Elapsed.TotalSeconds;
        var again = _env.CreateFolder("feed-again");
        Pack(source, Projects[0], again);
        PackedTwice = (File.ReadAllBytes(Path.Combine(Feed, $"Cairn.Tasks.{Version}.nupkg")), File.ReadAllBytes(Path.Combine(again, $"Cairn.Tasks.{Version}.nupkg")));

        _env.WriteFile("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="cairn" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        Hive = _env.PathOf("dotnet-new-home");
        Install = Run(_env.Root, "dotnet", "new", "install", Path.Combine(Feed, $"Cairn.Templates.{Version}.nupkg"), "--debug:custom-hive", Hive);
        InstallAgain = Run(_env.Root, "dotnet", "new", "install", Path.Combine(Feed, $"Cairn.Templates.{Version}.nupkg"), "--debug:custom-hive", Hive);

        clock.Restart();
        Scaffold = Run(_env.CreateFolder("repositories"), "dotnet", "new", "cairn", "-o", "acme-pipelines", "--debug:custom-hive", Hive);
        Root = _env.PathOf("repositories/acme-pipelines");
        FirstRun = BuildSh();
        ScaffoldToFirstRunSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        SecondRun = BuildSh();
        NoOpSeconds = clock.Elapsed.TotalSeconds;
        Status = BuildSh("--target=Status");
        Descriptions = BuildSh("--description");
        Tree = BuildSh("--tree", "--target=Summary");
        Tests = Run(Root, "dotnet", "test");

        Publish = WithFileChanged("build/build.cake", "RunCairn();", """
            Task("Download").Does(() => Console.WriteLine("downloaded"));
            Stage("Ingest").IsDependentOn("Download");
            Task("Publish").Description("Publish the summary").IsDependentOn("Summary").Does(() => Console.WriteLine("published"));
            RunCairn();
            """, () => BuildSh("--target=Publish"));
        Cycle = WithFileChanged(
            "pipelines/example/pipeline.yaml",
            "      Sources: \"{raw}/date={partition}/*.csv\"",
            "      Sources: [\"{raw}/date={partition}/*.csv\", \"data/daily/date={partition}/totals.csv\"]",
            () => BuildSh());
        ScaffoldAgain = Run(Path.GetDirectoryName(Root)!, "dotnet", "new", "cairn", "-o", "acme-pipelines", "--debug:custom-hive", Hive);

        AddPipeline = Run(Root, "dotnet", "new", "cairn-pipeline", "-n", "orders", "--debug:custom-hive", Hive);
        Unchosen = BuildSh();
        Misspelt = BuildSh("--pipeline=order");
        Orders = BuildSh("--pipeline=orders");
        Example = BuildSh("--pipeline=example");
        TestsOfBoth = Run(Root, "dotnet", "test");
    }

    /// <summary>The projects packed, in order: the library, the Cake side, the templates.</summary>
    public static string[] Projects { get; } = ["tasks/Cairn.Tasks/Cairn.Tasks.csproj", "tasks/Cairn.Cake/Cairn.Cake.csproj", "templates/Cairn.Templates.csproj"];

    public string Version { get; }

    public string Feed { get; }

    /// <summary>The private <c>dotnet new</c> home the template is installed in.</summary>
    public string Hive { get; }

    /// <summary>The repository <c>dotnet new cairn</c> made.</summary>
    public string Root { get; }

    public double PackSeconds { get; }

    public double ScaffoldToFirstRunSeconds { get; }

    public double NoOpSeconds { get; }

    /// <summary>Cairn.Tasks packed twice from the same sources.</summary>
    internal (byte[] First, byte[] Second) PackedTwice { get; }

    internal ProcessResult Install { get; }

    internal ProcessResult InstallAgain { get; }

    internal ProcessResult Scaffold { get; }

    internal ScriptOutput FirstRun { get; }

    internal ScriptOutput SecondRun { get; }

    internal ScriptOutput Status { get; }

    internal ScriptOutput Descriptions { get; }

    internal ScriptOutput Tree { get; }

    internal ProcessResult Tests { get; }

    /// <summary><c>--target=Publish</c>, a task of the user's own after Summary, with Ingest after a Download task of theirs.</summary>
    internal ScriptOutput Publish { get; }

    /// <summary>A run with Ingest made to read what DailyTotals writes.</summary>
    internal ScriptOutput Cycle { get; }

    internal ProcessResult ScaffoldAgain { get; }

    internal ProcessResult AddPipeline { get; }

    internal ScriptOutput Unchosen { get; }

    internal ScriptOutput Misspelt { get; }

    internal ScriptOutput Orders { get; }

    internal ScriptOutput Example { get; }

    internal ProcessResult TestsOfBoth { get; }

    /// <summary>Runs <c>./build.sh</c> in the repository.</summary>
    private ScriptOutput BuildSh(params string[] arguments) => ScriptCopy.Run(_env, Root, ["./build.sh", .. arguments]);

    /// <summary>Runs a step with one of the repository's files changed, then puts the file back.</summary>
    private ScriptOutput WithFileChanged(string relative, string from, string to, Func<ScriptOutput> step)
    {
        var file = Path.Combine(Root, relative);
        var original = File.ReadAllText(file);
        var changed = original.Replace(from, to, StringComparison.Ordinal);
        changed.ShouldNotBe(original, $"{relative} has no '{from}' to change");
        File.WriteAllText(file, changed);
        try
        {
            return step();
        }
        finally
        {
            File.WriteAllText(file, original);
        }
    }

    private static ProcessResult Run(string directory, string command, params string[] arguments) =>
        Processes.Run(command, arguments, directory, timeoutSeconds: 600);

    public void Dispose()
    {
        // The restore put this run's own version of Cairn.Tasks in the machine's package cache; no one else uses it.
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "cairn.tasks", "cairn.cake", "cairn.templates" })
        {
            var cached = Path.Combine(packages, id, Version);
            if (Directory.Exists(cached))
            {
                Directory.Delete(cached, recursive: true);
            }
        }

        _env.Dispose();
    }

    private static string CairnVersion() =>
        VersionElement().Match(File.ReadAllText(Repository.PathOf("Directory.Build.props"))).Groups[1].Value;

    private void Pack(string source, string project, string output) =>
        Run(source, "dotnet", "pack", project, "-c", "Release", "-o", output, "--nologo", "-v", "quiet", $"-p:CairnVersion={Version}").ShouldExitWith(0);

    [GeneratedRegex("<CairnVersion>([^<]+)</CairnVersion>")]
    private static partial Regex VersionElement();
}
