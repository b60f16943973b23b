using System.Diagnostics;
using System.Runtime.Loader;
using Cairn.Engine.Model;
using Cairn.Tests.Support;

namespace Cairn.Tests.Engine;

/// <summary>
/// Compiles real stage assemblies with the SDK's own C# compiler and checks what the IL-based code version sees:
/// editing one stage changes its version only, even though the edit renumbers metadata tokens in the whole assembly.
/// </summary>
public sealed class CodeVersionTests
{
    internal const string StageA = """
        public sealed class StageA : Microsoft.Build.Utilities.Task
        {
            [Cairn.Stages.StageParameter] public string Greeting { get; set; } = "hello";
            public override bool Execute() { Log.LogMessage("GREETING " + Greeting.Length); return true; }
        }
        """;

    internal const string StageB = """
        public sealed class StageB : Microsoft.Build.Utilities.Task
        {
            public override bool Execute() { System.Console.WriteLine("B"); return true; }
        }
        """;

    // The edit adds a string literal and a method before StageA's code in the assembly: user-string and
    // member tokens used by StageA shift, its behaviour does not.
    private const string StageBEdited = """
        public sealed class StageB : Microsoft.Build.Utilities.Task
        {
            private static string Extra() => "a brand new literal";
            public override bool Execute() { System.Console.WriteLine("B" + Extra()); return true; }
        }
        """;

    [Fact]
    public void Editing_one_stage_changes_its_code_version_and_leaves_the_others_alone()
    {
        using var env = new TestEnvironment();
        var builds = new[]
        {
            ("v1", StageB + StageA),
            ("v2", StageBEdited + StageA),
            ("v3", StageB + StageA.Replace("\"GREETING \"", "\"Greeting: \"", StringComparison.Ordinal)),
        }.AsParallel().Select(b => (b.Item1, Path: Compile(env, b.Item1, b.Item2))).ToDictionary(b => b.Item1, b => b.Path);

        var v1 = Load(builds["v1"]);
        var v2 = Load(builds["v2"]);
        var v3 = Load(builds["v3"]);
        try
        {
            Version(v1, "StageA").ShouldBe(Version(v2, "StageA"), "StageA did not change between v1 and v2");
            Version(v1, "StageB").ShouldNotBe(Version(v2, "StageB"), "StageB changed between v1 and v2");
            Version(v1, "StageA").ShouldNotBe(Version(v3, "StageA"), "StageA's string changed between v1 and v3");
            Version(v1, "StageB").ShouldBe(Version(v3, "StageB"));
        }
        finally
        {
            v1.Unload();
            v2.Unload();
            v3.Unload();
        }
    }

    [Fact]
    public void Code_version_is_stable_for_the_same_type()
    {
        CodeVersion.Of(typeof(TestStages.UpperCaseStage)).ShouldBe(CodeVersion.Of(typeof(TestStages.UpperCaseStage)));
        CodeVersion.Of(typeof(TestStages.VersionOneStage)).ShouldNotBe(CodeVersion.Of(typeof(TestStages.VersionTwoStage)));
    }

    private static string Version(AssemblyLoadContext context, string type) =>
        CodeVersion.Of(context.Assemblies.Single().GetType(type, throwOnError: true)!);

    internal static AssemblyLoadContext Load(string path)
    {
        var context = new AssemblyLoadContext(Path.GetFileName(Path.GetDirectoryName(path)), isCollectible: true);
        context.LoadFromAssemblyPath(path);
        return context;
    }

    internal static string Compile(TestEnvironment env, string name, string source)
    {
        var sourcePath = env.WriteFile($"{name}/Stages.cs", source);
        var output = env.PathOf($"{name}/Stages.dll");
        var dotnetRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        var csc = Directory.GetFiles(Path.Combine(dotnetRoot, "sdk"), "csc.dll", SearchOption.AllDirectories)
            .Where(p => p.Contains("bincore", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Last();
        var referencePack = Directory.GetDirectories(Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref")).Order(StringComparer.Ordinal).Last();
        var references = Directory.GetFiles(Path.Combine(referencePack, "ref", $"net{Environment.Version.Major}.0"), "*.dll")
            .Append(typeof(Cairn.Stages.StageParameterAttribute).Assembly.Location)
            .Append(typeof(Microsoft.Build.Utilities.Task).Assembly.Location)
            .Append(typeof(Microsoft.Build.Framework.ITask).Assembly.Location);

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { csc, "-nologo", "-deterministic", "-target:library", "-nostdlib", $"-out:{output}", sourcePath }.Concat(references.Select(r => "-r:" + r)))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.ShouldBe(0, $"csc failed: {stdout.Result}{stderr}");
        return output;
    }
}
