using Cairn.Engine.Workspace;
using Cairn.Tests.Support;

namespace Cairn.Tests.Engine;

/// <summary>
/// A file written whole through a temp file and a rename (a checkpoint, a run's claims): the folder is made only when
/// asked and missing, a write that fails leaves no temp file and fails as .NET's own write of it would, and every
/// temp file has a name of its own.
/// </summary>
public sealed class AtomicFileTests
{
    [Fact]
    public void An_unflushed_write_makes_a_missing_folder_when_asked_and_fails_as_dotnet_does_when_not()
    {
        using var env = new TestEnvironment();
        var path = env.PathOf("ws/checkpoints/date=2012-01-01/Ingest.ok");

        Should.Throw<DirectoryNotFoundException>(() => AtomicFile.WriteAllTextUnflushed(path, "{}\n"));
        AtomicFile.WriteAllTextUnflushed(path, "{}\n", makeFolder: true);
        AtomicFile.WriteAllTextUnflushed(path, "{\"second\":1}\n", makeFolder: true);

        File.ReadAllText(path).ShouldBe("{\"second\":1}\n");
        Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(path)!).ShouldBe([path]);
    }

    [Fact]
    public void A_write_that_cannot_be_renamed_into_place_leaves_no_temp_file_and_throws_an_io_exception()
    {
        using var env = new TestEnvironment();
        var folder = env.CreateFolder("ws/checkpoints/date=2012-01-01");
        var taken = env.CreateFolder("ws/checkpoints/date=2012-01-01/Ingest.ok");
        env.WriteFile("ws/checkpoints/date=2012-01-01/Ingest.ok/inside", "x");

        Should.Throw<IOException>(() => AtomicFile.WriteAllTextUnflushed(taken, "{}\n"));

        Directory.EnumerateFileSystemEntries(folder).ShouldBe([taken]);
    }

    [Fact]
    public void Every_temp_file_has_a_name_of_its_own_that_cleanup_knows_as_cairns()
    {
        var names = Enumerable.Range(0, 1_000).Select(_ => Path.GetFileName(AtomicFile.TempPathFor("/ws/checkpoints/Train.ok"))).ToList();

        names.Distinct(StringComparer.Ordinal).Count().ShouldBe(names.Count);
        names.ShouldAllBe(n => AtomicFile.IsTempFileName(n));
    }
}
