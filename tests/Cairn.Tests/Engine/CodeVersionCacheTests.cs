using System.Runtime.CompilerServices;
using Cairn.Engine.Model;
using Cairn.Tests.Support;

namespace Cairn.Tests.Engine;

/// <summary>
/// The machine's cache of code versions, with stage assemblies compiled for real: a version worked out once is read
/// back, and another build of the assembly, even at the same path, gets its own.
/// </summary>
public sealed class CodeVersionCacheTests
{
    [Fact]
    public void A_version_worked_out_once_is_read_back_without_walking_the_IL_again()
    {
        using var env = new TestEnvironment();
        var cache = env.PathOf("cache/code-versions");
        var walks = 0;
        string Walk(Type type)
        {
            walks++;
            return CodeVersion.Compute(type);
        }

        var stage = typeof(TestStages.UpperCaseStage);
        var first = CodeVersionCache.Of(stage, Walk, cache);
        var second = CodeVersionCache.Of(stage, Walk, cache);

        first.ShouldBe(CodeVersion.Compute(stage));
        second.ShouldBe(first);
        walks.ShouldBe(1);
        Directory.GetFiles(cache).Select(File.ReadAllText).ShouldBe([first]);
    }

    [Fact]
    public void A_rebuilt_assembly_at_the_same_path_gets_the_version_of_its_own_IL()
    {
        using var env = new TestEnvironment();
        var cache = env.PathOf("cache/code-versions");
        var before = CodeVersionTests.Compile(env, "before", CodeVersionTests.StageA);
        var after = CodeVersionTests.Compile(env, "after", CodeVersionTests.StageA.Replace("\"GREETING \"", "\"Greeting: \"", StringComparison.Ordinal));
        var path = env.PathOf("stages/Stages.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        File.Copy(before, path);
        var (cachedBefore, walkedBefore, unloaded) = VersionsOf(path, cache);
        for (var i = 0; i < 20 && unloaded.IsAlive; i++)
        {
            // The runtime keeps a loaded image by its path until its load context is collected.
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        unloaded.IsAlive.ShouldBeFalse("the first build's load context was collected");

        // As a build puts a new file in place: another inode under the same name.
        File.Copy(after, path + ".new");
        File.Move(path + ".new", path, overwrite: true);
        var (cachedAfter, walkedAfter, _) = VersionsOf(path, cache);

        cachedBefore.ShouldBe(walkedBefore);
        cachedAfter.ShouldBe(walkedAfter);
        cachedAfter.ShouldNotBe(cachedBefore, "the rebuilt StageA logs another string");
        Directory.GetFiles(cache).Length.ShouldBe(2);
    }

    [Fact]
    public void A_damaged_entry_is_worked_out_again_and_replaced()
    {
        using var env = new TestEnvironment();
        var cache = env.PathOf("cache/code-versions");
        var stage = typeof(TestStages.UpperCaseStage);
        var version = CodeVersionCache.Of(stage, CodeVersion.Compute, cache);
        var entry = Directory.GetFiles(cache).Single();
        File.WriteAllText(entry, "not a version");

        CodeVersionCache.Of(stage, CodeVersion.Compute, cache).ShouldBe(version);
        File.ReadAllText(entry).ShouldBe(version);
    }

    [Fact]
    public void A_cache_that_cannot_be_written_costs_only_the_walk()
    {
        using var env = new TestEnvironment();
        var blocked = env.WriteFile("cache", "a file where the cache folder would be");
        var stage = typeof(TestStages.UpperCaseStage);

        CodeVersionCache.Of(stage, CodeVersion.Compute, Path.Combine(blocked, "code-versions")).ShouldBe(CodeVersion.Compute(stage));
    }

    [Fact]
    public void The_cache_is_the_bootstrappers_machine_cache()
    {
        Dictionary<string, string?> variables = new() { ["CAIRN_CACHE_HOME"] = "/c", ["XDG_CACHE_HOME"] = "/x", ["HOME"] = "/h", ["LOCALAPPDATA"] = @"C:\l" };
        CodeVersionCache.Folder(v => variables.GetValueOrDefault(v)).ShouldBe(Path.Combine("/c", "code-versions"));
        variables["CAIRN_CACHE_HOME"] = null;
        CodeVersionCache.Folder(v => variables.GetValueOrDefault(v)).ShouldBe(
            OperatingSystem.IsWindows() ? Path.Combine(@"C:\l", "cairn", "code-versions") : Path.Combine("/x", "cairn", "code-versions"));
        if (!OperatingSystem.IsWindows())
        {
            variables["XDG_CACHE_HOME"] = string.Empty;
            CodeVersionCache.Folder(v => variables.GetValueOrDefault(v)).ShouldBe(Path.Combine("/h", ".cache", "cairn", "code-versions"));
            variables["HOME"] = null;
            CodeVersionCache.Folder(v => variables.GetValueOrDefault(v)).ShouldBeNull();
        }
    }

    /// <summary>StageA's version through the cache and by the walk, from a load context of its own, unloaded after.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (string Cached, string Walked, WeakReference Context) VersionsOf(string path, string cache)
    {
        var context = CodeVersionTests.Load(path);
        try
        {
            var stage = context.Assemblies.Single().GetType("StageA", throwOnError: true)!;
            return (CodeVersionCache.Of(stage, CodeVersion.Compute, cache), CodeVersion.Compute(stage), new WeakReference(context));
        }
        finally
        {
            context.Unload();
        }
    }
}
