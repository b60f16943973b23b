using Cairn.Engine.Configuration;
using Cairn.Engine.Plan;
using Cairn.Engine.Runs;
using Cairn.Engine.Workspace;
using Cairn.Tests.Support;

namespace Cairn.Tests.Engine;

/// <summary>The crash clean-up: Cairn's own temp files, in the folders the pipeline writes, never through a symbolic link.</summary>
public sealed class LeftoverCleanupTests
{
    private static readonly PipelineYaml Pipeline = PipelineYaml.TwoStages(suffix: null, upperOutput: "results/upper/date={date}/upper.txt", concatOutput: "tables/all.txt");

    [Fact]
    public void After_a_crash_cairns_temp_files_go_from_the_pipelines_folders_checkpoints_and_state_and_nothing_else()
    {
        using var h = new EngineHarness(Pipeline, ("Upper", []), ("Concat", ["Upper"]));
        h.WriteRaw("2013-05-01", "row\n");
        h.Run().ShouldSucceed();
        File.WriteAllText(h.WorkspaceFile(".cairn/running"), "a run that was killed\n");
        string[] cairns =
        [
            h.Env.WriteFile($"ws/results/upper/date=2013-05-01/{Temp("upper.txt")}", "half"),
            h.Env.WriteFile($"ws/tables/{Temp("all.txt")}", "half"),
            h.Env.WriteFile($"ws/checkpoints/date=2013-05-01/{Temp("Upper.ok")}", "{ half"),
            h.Env.WriteFile($"ws/.cairn/{Temp("stat-cache.bin")}", "half"),
        ];
        string[] others =
        [
            h.Env.WriteFile("ws/results/upper/.notes.tmp", "not Cairn's name"),
            h.Env.WriteFile("ws/results/upper/notes.1.0123456789abcdef0123456789abcdef.tmp", "no leading dot: not Cairn's name"),
            h.Env.WriteFile($"ws/data/{Temp("all.txt")}", "a folder this pipeline does not write"),
        ];
        var outside = h.Env.WriteFile($"outside/{Temp("x")}", "not the workspace's");
        Directory.CreateSymbolicLink(h.WorkspaceFile("results/link"), h.Env.PathOf("outside"));

        h.Run().ShouldSucceed().Output.ShouldContain("Upper: skipped, up to date");

        cairns.ShouldAllBe(f => !File.Exists(f));
        others.ShouldAllBe(f => File.Exists(f));
        File.Exists(outside).ShouldBeTrue("the link results/link is not followed");
        File.Exists(h.WorkspaceFile(".cairn/running")).ShouldBeFalse();
    }

    [Fact]
    public void A_folder_reached_through_a_symbolic_link_is_not_cleaned_and_a_linked_staging_folder_loses_only_its_link()
    {
        using var env = new TestEnvironment();
        var layout = new WorkspaceLayout(env.CreateFolder("ws"));
        var linked = env.WriteFile($"elsewhere/results/{Temp("out.csv")}", "not the workspace's");
        var staged = env.WriteFile("elsewhere/staged/Upper/all.1.Output.txt", "not the workspace's");
        Directory.CreateSymbolicLink(Path.Combine(layout.Root, "results"), env.PathOf("elsewhere/results"));
        Directory.CreateDirectory(layout.State);
        Directory.CreateSymbolicLink(layout.Staging, env.PathOf("elsewhere/staged"));
        File.WriteAllText(Path.Combine(layout.State, "running"), "a run that was killed\n");

        var removed = LeftoverCleanup.Run(layout, ["results"], "this-run");

        removed.ShouldBeEmpty();
        File.Exists(linked).ShouldBeTrue();
        File.Exists(staged).ShouldBeTrue();
        Path.Exists(layout.Staging).ShouldBeFalse();
        File.ReadAllText(Path.Combine(layout.State, "running")).ShouldBe("this-run\n");
    }

    [Fact]
    public void Without_a_crash_marker_only_the_staging_folder_goes()
    {
        using var env = new TestEnvironment();
        var layout = new WorkspaceLayout(env.CreateFolder("ws"));
        var temp = env.WriteFile($"ws/results/{Temp("out.csv")}", "a run that is writing it");
        env.WriteFile("ws/.cairn/staging/run/Upper/all.1.Output.txt", "staged");

        LeftoverCleanup.Run(layout, ["results"], "this-run").ShouldBeEmpty();

        File.Exists(temp).ShouldBeTrue();
        Directory.Exists(layout.Staging).ShouldBeFalse();
    }

    [Fact]
    public void The_folders_to_clean_are_those_the_pipelines_outputs_lie_in()
    {
        var plan = PipelinePlan.Build(
            PipelineLoader.Load(Repository.PathOf("pipelines/weather/pipeline.yaml")),
            new Dictionary<string, IReadOnlyList<string>>
            {
                ["Ingest"] = [], ["Validate"] = ["Ingest"], ["Clean"] = ["Validate"], ["ValidationSummary"] = ["Clean"], ["Train"] = ["Clean"],
                ["Evaluate"] = ["Train"], ["Report"] = ["Evaluate"], ["Package"] = ["Report"],
            });

        plan.OutputFolders.ShouldBe(["data/evaluation", "data/features", "data/ingested", "data/model", "data/package", "data/profiles", "data/quarantine", "reports"]);
    }

    [Fact]
    public void Cairns_temp_file_names_are_the_ones_its_writers_use()
    {
        AtomicFile.IsTempFileName(Path.GetFileName(AtomicFile.TempPathFor("/ws/checkpoints/Train.ok"))).ShouldBeTrue();
        AtomicFile.IsTempFileName(".x.tmp").ShouldBeFalse();
        AtomicFile.IsTempFileName("x.1.0123456789abcdef0123456789abcdef.tmp").ShouldBeFalse();
        AtomicFile.IsTempFileName(".x.1.0123456789abcdef0123456789abcdef.tmp").ShouldBeTrue();
    }

    /// <summary>A temp file name as Cairn's atomic writes make them, for a file of this name.</summary>
    private static string Temp(string name) => Path.GetFileName(AtomicFile.TempPathFor(Path.Combine("/ws", name)));
}
