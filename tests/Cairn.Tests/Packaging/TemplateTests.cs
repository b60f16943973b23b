using System.IO.Compression;
using Cairn.Tests.CommandLine;
using Xunit.Abstractions;

namespace Cairn.Tests.Packaging;

/// <summary>
/// Cairn in a repository of a user's own, through real processes and nothing of this tree but its packages:
/// <c>dotnet new cairn</c>, <c>./build.sh</c> twice, Status, <c>dotnet test</c>, a task of the user's own on a stage's
/// target, a second pipeline from <c>dotnet new cairn-pipeline</c>, and what is refused. The repository is made and
/// used once (<see cref="GeneratedRepository"/>); each test checks one part of what happened.
/// </summary>
public sealed class TemplateTests : IClassFixture<GeneratedRepository>
{
    private readonly GeneratedRepository _repository;
    private readonly ITestOutputHelper _output;

    public TemplateTests(GeneratedRepository repository, ITestOutputHelper output)
    {
        _repository = repository;
        _output = output;
    }

    [Fact]
    public void The_packages_have_one_version_real_metadata_and_pack_to_the_same_bytes_twice()
    {
        _output.WriteLine($"pack (3 packages, from a fresh copy): {_repository.PackSeconds:0.0} s");
        var (first, second) = _repository.PackedTwice;
        second.ShouldBe(first, "dotnet pack of the same sources gives the same bytes");

        foreach (var id in new[] { "Cairn.Tasks", "Cairn.Cake", "Cairn.Templates" })
        {
            using var package = ZipFile.OpenRead(Path.Combine(_repository.Feed, $"{id}.{_repository.Version}.nupkg"));
            using var reader = new StreamReader(package.GetEntry($"{id}.nuspec")!.Open());
            var nuspec = reader.ReadToEnd();
            nuspec.ShouldContain($"<version>{_repository.Version}</version>");
            nuspec.ShouldContain("<license type=\"expression\">MIT</license>");
            nuspec.ShouldContain("<readme>README.md</readme>");
            nuspec.ShouldContain("<repository type=\"git\"");
            nuspec.ShouldContain("<tags>cairn ");
            nuspec.ShouldContain("<description>");
            package.GetEntry("README.md").ShouldNotBeNull();
        }

        using var cake = ZipFile.OpenRead(Path.Combine(_repository.Feed, $"Cairn.Cake.{_repository.Version}.nupkg"));
        var entries = cake.Entries.Select(e => e.FullName).ToList();
        entries.ShouldContain("content/Cairn.cake");
        entries.ShouldContain("lib/net10.0/Cairn.Tasks.dll");
        entries.ShouldContain("runtimes/linux-x64/native/libe_sqlite3.so");
        entries.ShouldContain("runtimes/win-x64/native/e_sqlite3.dll");
        entries.ShouldContain("runtimes/osx-arm64/native/libe_sqlite3.dylib");
    }

    [Fact]
    public void Dotnet_new_cairn_makes_a_repository_without_cairn_source_whose_build_sh_runs_the_example_and_then_nothing()
    {
        _output.WriteLine($"scaffold to first successful run: {_repository.ScaffoldToFirstRunSeconds:0.0} s; no-op: {_repository.NoOpSeconds:0.0} s");
        _repository.Install.ShouldExitWith(0);
        _repository.Scaffold.ShouldExitWith(0);
        var files = Directory.GetFiles(_repository.Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(_repository.Root, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith(".build/", StringComparison.Ordinal) && !f.StartsWith("work/", StringComparison.Ordinal) && !f.Contains("/orders/", StringComparison.Ordinal) && !f.Contains("Orders.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        files.ShouldBe(
        [
            ".gitignore", "Directory.Build.props", "Directory.Packages.props", "Pipelines.slnx", "README.md", "build.ps1", "build.sh",
            "build/build.cake", "build/cake.config", "dotnet-tools.json", "global.json",
            "pipelines/example/DailyTotals.cs", "pipelines/example/Example.csproj", "pipelines/example/StoreSummary.cs", "pipelines/example/Summary.cs",
            "pipelines/example/config/contract.yaml", "pipelines/example/config/summary.yaml", "pipelines/example/data/README.md", "pipelines/example/data/sales.csv",
            "pipelines/example/pipeline.yaml",
            "tests/Example.Tests/DailyTotalsTests.cs", "tests/Example.Tests/Example.Tests.csproj", "tests/Example.Tests/RecordingBuildEngine.cs",
            "tests/Example.Tests/StageFolder.cs", "tests/Example.Tests/SummaryTests.cs",
        ]);
        File.ReadAllText(Path.Combine(_repository.Root, "build/build.cake")).ShouldContain($"#load nuget:?package=Cairn.Cake&version={_repository.Version}");
        File.ReadAllText(Path.Combine(_repository.Root, "Directory.Packages.props")).ShouldContain($"<PackageVersion Include=\"Cairn.Tasks\" Version=\"{_repository.Version}\" />");

        var first = _repository.FirstRun;
        first.ExitCode.ShouldBe(0, first.ToString());
        first.Stdout.ShouldContain("Made the landing zone work/example/landing from pipelines/example/data/sales.csv: 10 days");
        first.Stdout.ShouldContain("DailyTotals: ran 10 cells in");
        first.Stdout.ShouldContain("Summary: run, first run");
        File.ReadAllText(Path.Combine(_repository.Root, "work/example/reports/summary.md")).ShouldStartWith("# Sales over 10 days\n");

        var second = _repository.SecondRun;
        second.ExitCode.ShouldBe(0, second.ToString());
        second.Stderr.ShouldBeEmpty("the bootstrap says nothing on a run that needs no step");
        foreach (var stage in new[] { "Ingest", "Validate", "DailyTotals" })
        {
            second.Stdout.ShouldContain($"{stage}: skipped, all 10 cells up to date");
        }

        second.Stdout.ShouldContain("Summary: skipped, up to date");
        second.Stdout.ShouldContain("succeeded in");
        second.Stdout.ShouldNotContain(": run");
    }

    [Fact]
    public void Status_and_the_targets_made_from_the_pipeline_file_work_there()
    {
        _repository.Status.ExitCode.ShouldBe(0, _repository.Status.ToString());
        _repository.Status.Stdout.ShouldContain("Status of example: 10 partitions (2026-03-01 to 2026-03-10), workspace work/example");
        _repository.Status.Stdout.ShouldContain("Everything is up to date (31 cells).");

        _repository.Descriptions.ExitCode.ShouldBe(0, _repository.Descriptions.ToString());
        _repository.Descriptions.Stdout.ShouldContain("  DailyTotals            Units and revenue per store for each day, without the");

        var tree = _repository.Tree;
        tree.ExitCode.ShouldBe(0, tree.ToString());
        tree.Stdout.IndexOf("Ingest", StringComparison.Ordinal).ShouldBeGreaterThan(tree.Stdout.IndexOf("Summary", StringComparison.Ordinal), tree.Stdout);
    }

    [Fact]
    public void Dotnet_test_passes_there()
    {
        _repository.Tests.ShouldExitWith(0);
        _repository.Tests.Output.ShouldContain("Passed!  - Failed:     0, Passed:     7");
    }

    [Fact]
    public void A_task_of_the_users_own_depends_on_a_generated_stage_target_and_a_stage_on_one_of_theirs()
    {
        var run = _repository.Publish;

        run.ExitCode.ShouldBe(0, run.ToString());
        run.Stdout.IndexOf("downloaded", StringComparison.Ordinal).ShouldBeInRange(0, run.Stdout.IndexOf("Ingest: skipped", StringComparison.Ordinal), run.Stdout);
        run.Stdout.IndexOf("published", StringComparison.Ordinal).ShouldBeGreaterThan(run.Stdout.IndexOf("Summary: skipped, up to date", StringComparison.Ordinal), run.Stdout);
    }

    [Fact]
    public void A_cycle_written_into_the_pipeline_file_is_refused_with_its_path_before_anything_runs()
    {
        var run = _repository.Cycle;

        run.ExitCode.ShouldBe(2, run.ToString());
        Messages(run).ShouldContain($"{Path.Combine(_repository.Root, "pipelines/example/pipeline.yaml")}: the data flow has a cycle, Ingest -> Validate -> DailyTotals -> Ingest: Validate reads data/ingested/date={{partition}}/sales.csv, which Ingest writes; DailyTotals reads data/profiles/date={{partition}}/profile.json, which Validate writes; Ingest reads data/daily/date={{partition}}/totals.csv, which DailyTotals writes.");
        run.Stdout.ShouldBeEmpty("nothing ran");
    }

    [Fact]
    public void Dotnet_new_cairn_pipeline_adds_a_second_pipeline_that_runs_with_pipeline_NAME()
    {
        _repository.AddPipeline.ShouldExitWith(0);
        File.ReadAllText(Path.Combine(_repository.Root, "pipelines/orders/pipeline.yaml")).ShouldContain("name: orders\n# The stage project; Cairn loads its Release build (./build.sh builds it).\nassembly: Orders.csproj\n");
        File.ReadAllText(Path.Combine(_repository.Root, "pipelines/orders/DailyTotals.cs")).ShouldContain("namespace Orders;");
        File.ReadAllText(Path.Combine(_repository.Root, "Pipelines.slnx")).ShouldContain("tests/Orders.Tests/Orders.Tests.csproj");

        _repository.Unchosen.ExitCode.ShouldBe(2, _repository.Unchosen.ToString());
        Messages(_repository.Unchosen).ShouldBe("There are 2 pipelines here (example, orders); choose one with --pipeline=NAME.\n", "nothing is built before a pipeline is chosen");
        _repository.Misspelt.ExitCode.ShouldBe(2, _repository.Misspelt.ToString());
        Messages(_repository.Misspelt).ShouldBe("--pipeline=order: there is no pipeline 'order'; did you mean --pipeline=orders? The pipelines are example, orders (each pipelines/NAME/pipeline.yaml).\n");

        var orders = _repository.Orders;
        orders.ExitCode.ShouldBe(0, orders.ToString());
        Messages(orders).ShouldBe("Building pipelines/orders/Orders.csproj (first run)…\n", "only the chosen pipeline's stage project is built");
        orders.Stdout.ShouldContain("Made the landing zone work/orders/landing from pipelines/orders/data/sales.csv: 10 days");
        orders.Stdout.ShouldContain("Summary: run, first run");

        _repository.Example.ExitCode.ShouldBe(0, _repository.Example.ToString());
        Messages(_repository.Example).ShouldBeEmpty();
        _repository.Example.Stdout.ShouldContain("Summary: skipped, up to date");

        _repository.TestsOfBoth.ShouldExitWith(0);
        _repository.TestsOfBoth.Output.ShouldContain("Orders.Tests.dll");
    }

    [Fact]
    public void Dotnet_new_refuses_in_its_own_words_a_template_installed_twice_and_a_folder_that_holds_the_repository()
    {
        _repository.InstallAgain.ExitCode.ShouldNotBe(0, _repository.InstallAgain.Output);
        _repository.InstallAgain.Output.ShouldContain("already exists");

        _repository.ScaffoldAgain.ExitCode.ShouldNotBe(0, _repository.ScaffoldAgain.Output);
        _repository.ScaffoldAgain.Output.ShouldContain("Creating this template will make changes to existing files");
        _repository.ScaffoldAgain.Output.ShouldContain("--force");
    }

    /// <summary>
    /// What a run wrote on stderr but the bootstrap's "Compiling build/build.cake…": the file times that stand in for
    /// the script's hash say so after a test has put build/build.cake back as it was, though Cake finds it compiled.
    /// Nor its line for compiling Cake ahead of time, which the first run on the machine says, whichever test that is.
    /// </summary>
    private static string Messages(ScriptOutput run) =>
        string.Concat(run.Stderr.ReplaceLineEndings("\n").Split('\n').Where(l => l.Length > 0 && l != "Compiling build/build.cake…" && l != ScriptOutput.CompilingCakeLine).Select(l => l + "\n"));
}
