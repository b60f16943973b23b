namespace Cairn.Tests.Engine;

public sealed class OutputOwnershipTests
{
    [Fact]
    public void Rerun_replaces_a_directory_output_whole_leaving_no_stale_file()
    {
        using var h = Harness();
        h.WriteRaw("2013-05-01", "alpha\nbeta\n");
        h.Run().ShouldSucceed();
        File.Exists(h.WorkspaceFile("artifacts/words/beta.txt")).ShouldBeTrue();

        h.WriteRaw("2013-05-01", "alpha\ngamma\n");
        h.Run().ShouldSucceed();

        Directory.GetFiles(h.WorkspaceFile("artifacts/words")).Select(Path.GetFileName).Order().ShouldBe(["alpha.txt", "gamma.txt"]);
    }

    [Fact]
    public void A_file_added_to_a_directory_output_is_a_modification()
    {
        using var h = Harness();
        h.WriteRaw("2013-05-01", "alpha\n");
        h.Run().ShouldSucceed();
        File.WriteAllText(h.WorkspaceFile("artifacts/words/stray.txt"), "x");

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Folder: run, output modified: artifacts/words/stray.txt is not part of the recorded output");
        File.Exists(h.WorkspaceFile("artifacts/words/stray.txt")).ShouldBeFalse();
    }

    [Fact]
    public void Rebinding_an_output_path_removes_the_old_output()
    {
        using var h = Harness();
        h.WriteRaw("2013-05-01", "alpha\n");
        h.Run().ShouldSucceed();

        h.SetPipeline(Pipeline("data/combined.txt"));
        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Concat: run, output paths changed");
        File.Exists(h.WorkspaceFile("data/all.txt")).ShouldBeFalse();
        File.Exists(h.WorkspaceFile("data/combined.txt")).ShouldBeTrue();
    }

    [Fact]
    public void Rebinding_an_output_into_a_folder_at_the_path_of_the_file_it_replaces_removes_the_file_and_makes_the_folder()
    {
        using var h = Harness();
        h.WriteRaw("2013-05-01", "alpha\n");
        h.Run().ShouldSucceed();
        var combined = File.ReadAllText(h.WorkspaceFile("data/all.txt"));

        h.SetPipeline(Pipeline("data/all.txt/combined.txt"));
        h.Run().ShouldSucceed();

        Directory.Exists(h.WorkspaceFile("data/all.txt")).ShouldBeTrue();
        File.ReadAllText(h.WorkspaceFile("data/all.txt/combined.txt")).ShouldBe(combined);
    }

    [Fact]
    public void Unchanged_output_keeps_its_file_and_timestamp_when_its_cell_reruns()
    {
        using var h = Harness();
        h.WriteRaw("2013-05-01", "alpha\n");
        h.Run().ShouldSucceed();
        var output = h.WorkspaceFile("data/upper/date=2013-05-01/upper.txt");
        var old = DateTime.UtcNow.AddDays(-1);
        File.SetLastWriteTimeUtc(output, old);

        h.Run("--force=Upper").ShouldSucceed();

        File.GetLastWriteTimeUtc(output).ShouldBe(old);
    }

    private static EngineHarness Harness() => new(Pipeline("data/all.txt"), ("Upper", []), ("Concat", ["Upper"]), ("Folder", ["Concat"]));

    /// <summary>The two stages, with Concat writing <paramref name="combined"/>, and Folder: one file per line of it in <c>artifacts/words</c>.</summary>
    private static PipelineYaml Pipeline(string combined) =>
        PipelineYaml.TwoStages(suffix: null, concatOutput: combined).Stage("Folder", "FolderStage", s => s.Input("Input", combined).Output("Folder", "artifacts/words"));
}
