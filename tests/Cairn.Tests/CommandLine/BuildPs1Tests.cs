using Cairn.Tests.Reporting;
using Cairn.Tests.Support;

namespace Cairn.Tests.CommandLine;

/// <summary>
/// build.ps1 under the pinned PowerShell tool (<c>dotnet tool run pwsh</c>) beside build.sh, in a fresh copy of the
/// repository: the same arguments give the same exit code, stdout and stderr (times and run ids masked) on a first run
/// (restore, build, compile, every stage), on a no-op run (no bootstrap step, every stage skipped) and on a usage error.
/// </summary>
public sealed class BuildPs1Tests : IClassFixture<BuildPs1FirstRuns>
{
    private readonly BuildPs1FirstRuns _runs;

    public BuildPs1Tests(BuildPs1FirstRuns runs) => _runs = runs;

    [Fact]
    public void A_first_run_says_each_bootstrap_step_once_and_build_ps1_does_as_build_sh_does()
    {
        _runs.Sh.ExitCode.ShouldBe(0, _runs.Sh.ToString());
        Approved.ShouldMatch(_runs.Sh.BootstrapLines, "tests/Cairn.Tests/CommandLine/Bootstrap.first-run.expected.txt");
        _runs.Sh.Stdout.ShouldContain($"Ingest: run {BuildPs1FirstRuns.Days} cells: first run ({BuildPs1FirstRuns.Days})");
        _runs.Sh.Stdout.ShouldContain("Package: run, first run");

        _runs.Ps1.Masked().ShouldBe(_runs.Sh.Masked(), $"build.ps1:\n{_runs.Ps1}\n\nbuild.sh:\n{_runs.Sh}");
    }

    [Fact]
    public void First_runs_of_both_scripts_write_nothing_outside_the_repository()
    {
        // Cake's bootstrap pass resolved cake.config's ../.build/cake/tools from the repository, not from build/, and
        // unpacked Cairn.Cake beside the repository; the scripts skip that pass when no script has a #module directive.
        _runs.BesideTheCopy.ShouldBe(["clone", "raw", "ws"]);
    }

    [Fact]
    public void A_no_op_run_says_no_bootstrap_step_and_build_ps1_does_as_build_sh_does()
    {
        var sh = _runs.BuildSh("--target=Package");
        var ps1 = _runs.BuildPs1("--target=Package");

        sh.ExitCode.ShouldBe(0, sh.ToString());
        sh.BootstrapLines.ShouldBeEmpty();
        sh.Stdout.ShouldContain($"Ingest: skipped, all {BuildPs1FirstRuns.Days} cells up to date");
        sh.Stdout.ShouldContain("Package: skipped, up to date");
        ps1.Masked().ShouldBe(sh.Masked(), $"build.ps1:\n{ps1}\n\nbuild.sh:\n{sh}");
    }

    [SkippableFact]
    public void A_script_started_while_another_bootstraps_waits_for_it_then_runs_and_build_ps1_does_as_build_sh_does()
    {
        Skip.If(!File.Exists("/usr/bin/flock") && !File.Exists("/bin/flock"), "needs flock (util-linux) to hold the bootstrap lock as another build script would");
        // Held long enough for the script to find it held even on a loaded machine: with 3 s, PowerShell's start under
        // load (a test suite on 2 cores) took longer, and build.ps1 found the lock free and said no "Waiting".
        var sh = WhileLockedFor(TimeSpan.FromSeconds(8), () => _runs.BuildSh("--target=Help"), out var shWaited);
        var ps1 = WhileLockedFor(TimeSpan.FromSeconds(8), () => _runs.BuildPs1("--target=Help"), out var ps1Waited);

        sh.ExitCode.ShouldBe(0, sh.ToString());
        sh.Stderr.ShouldBe("Waiting for another build script to finish its bootstrap…\n", sh.ToString());
        sh.Stdout.ShouldContain("--target=");
        shWaited.ShouldBeGreaterThan(TimeSpan.FromSeconds(2.5));
        ps1Waited.ShouldBeGreaterThan(TimeSpan.FromSeconds(2.5));
        ps1.Masked().ShouldBe(sh.Masked(), $"build.ps1:\n{ps1}\n\nbuild.sh:\n{sh}");
    }

    [Fact]
    public void Cake_starts_compiled_ahead_of_time_and_JIT_compiles_almost_none_of_its_own_methods()
    {
        // The first runs found Cake compiled in the machine's cache, or compiled it: every assembly Cake ships is there,
        // each with native code beside its IL.
        var ready = CakeAheadOfTime.FolderUnder(CakeAheadOfTime.CacheHome);
        var shipped = Directory.EnumerateFiles(CakeAheadOfTime.Shipped, "*.dll").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        shipped.ShouldContain("Cake.dll");
        foreach (var assembly in shipped)
        {
            CakeAheadOfTime.IsReadyToRun(Path.Combine(CakeAheadOfTime.Shipped, assembly!)).ShouldBeFalse($"{assembly} as shipped");
            CakeAheadOfTime.IsReadyToRun(Path.Combine(ready, assembly!)).ShouldBeTrue($"{assembly} in {ready}");
        }

        // And runs start it from there: the runtime JIT-compiles almost none of Cake's, Spectre.Console's and NuGet's
        // methods (3,828 methods in all as shipped, 2,623 of them theirs; 819 and 1 compiled ahead of time, here).
        var ahead = JitCompiledOfCake(new Dictionary<string, string?>());
        var asShipped = JitCompiledOfCake(new Dictionary<string, string?> { ["CAIRN_CAKE_READY_TO_RUN"] = "0" });
        ahead.ShouldBeLessThan(50);
        asShipped.ShouldBeGreaterThan(1000);
    }

    [Fact]
    public void A_Cake_that_cannot_be_compiled_ahead_of_time_is_said_once_and_both_scripts_run_it_as_shipped()
    {
        var cache = _runs.CreateFolder("cache-with-a-file-in-the-way");
        var inTheWay = CakeAheadOfTime.FolderUnder(cache);
        File.WriteAllText(inTheWay, "not a folder");
        var variables = new Dictionary<string, string?> { ["CAIRN_CACHE_HOME"] = cache };
        var failed = Path.Combine(_runs.Root, ".build", "bootstrap", "cake-ready-to-run.failed");
        try
        {
            var sh = _runs.BuildSh(variables, "--target=Help");
            var shAgain = _runs.BuildSh(variables, "--target=Help");
            File.Delete(failed);
            var ps1 = _runs.BuildPs1(variables, "--target=Help");

            sh.ExitCode.ShouldBe(0, sh.ToString());
            sh.Stdout.ShouldContain("--target=");
            sh.Stderr.ShouldBe(
                ScriptOutput.CompilingCakeLine + "\n"
                + $"error: {inTheWay} is in the way of the compiled Cake: remove it.\n"
                + "Could not compile Cake ahead of time (above); Cake runs as shipped until dotnet-tools.json changes. CAIRN_CAKE_READY_TO_RUN=0 stops the attempts.\n");
            shAgain.ExitCode.ShouldBe(0, shAgain.ToString());
            shAgain.Stderr.ShouldBeEmpty("said once: the next run does not try again");
            ps1.Stderr.ShouldBe(sh.Stderr, $"build.ps1:\n{ps1}\n\nbuild.sh:\n{sh}");
            ps1.Masked().ShouldBe(sh.Masked(), $"build.ps1:\n{ps1}\n\nbuild.sh:\n{sh}");
        }
        finally
        {
            File.Delete(failed);
        }
    }

    [Fact]
    public void A_pipeline_whose_project_does_not_build_exits_2_from_both_with_its_errors_and_what_to_do()
    {
        // The sample's pipeline copied outside the repository: its project takes its target framework from the
        // repository's Directory.Build.props, so there it does not build (NETSDK1013), and MSBuild then crashed writing
        // the result the script asks it for (MSB1025, a stack trace, exit 82).
        var outside = Path.Combine(_runs.CreateFolder("outside"), "weather");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_runs.Root, "pipelines", "weather"), "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Path.Combine(_runs.Root, "pipelines", "weather"), file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(outside, relative))!);
            File.Copy(file, Path.Combine(outside, relative));
        }

        var project = Path.Combine(outside, "Cairn.Pipelines.Weather.csproj");

        var sh = _runs.BuildSh("--target=Status", $"--pipeline={outside}");
        var ps1 = _runs.BuildPs1("--target=Status", $"--pipeline={outside}");

        sh.ExitCode.ShouldBe(2, sh.ToString());
        sh.Stdout.ShouldBeEmpty();
        sh.Stderr.ShouldContain("error NETSDK1013");
        sh.Stderr.ShouldNotContain("MSB1025");
        sh.Stderr.ShouldNotContain("Unhandled exception");
        sh.Stderr.ShouldEndWith(
            $"{project} does not build (its errors are above): fix them, then run the build script again. It is outside this repository ({_runs.Root}), "
            + $"whose Directory.Build.props gives the projects in it their target framework and Cairn's packages: keep the pipeline under pipelines/, or make its project build on its own (dotnet build {project}).\n");
        ps1.Masked().ShouldBe(sh.Masked(), $"build.ps1:\n{ps1}\n\nbuild.sh:\n{sh}");
    }

    /// <summary>How many methods of Cake, Spectre.Console and NuGet's client the runtime JIT-compiled in a run of Help by build.sh.</summary>
    private int JitCompiledOfCake(Dictionary<string, string?> variables)
    {
        var log = Path.Combine(_runs.CreateFolder($"jit-{Guid.NewGuid():N}"), "jit.txt");
        variables["DOTNET_JitDisasmSummary"] = "1";
        variables["DOTNET_JitStdOutFile"] = log;
        var run = _runs.BuildSh(variables, "--target=Help");
        run.ExitCode.ShouldBe(0, run.ToString());
        return File.ReadLines(log).Count(l => l.Contains("JIT compiled Cake.", StringComparison.Ordinal)
            || l.Contains("JIT compiled Spectre.", StringComparison.Ordinal) || l.Contains("JIT compiled NuGet.", StringComparison.Ordinal));
    }

    /// <summary>Runs a script while another process holds the copy's bootstrap lock (as a bootstrap in progress does) for a while.</summary>
    private ScriptOutput WhileLockedFor(TimeSpan hold, Func<ScriptOutput> run, out TimeSpan took)
    {
        var lockFile = Path.Combine(_runs.Root, ".build", "bootstrap", "bootstrap.lock");
        var start = new System.Diagnostics.ProcessStartInfo("flock", [lockFile, "-c", $"echo locked; sleep {hold.TotalSeconds:0}"]) { RedirectStandardOutput = true };
        using var holder = System.Diagnostics.Process.Start(start)!;
        holder.StandardOutput.ReadLine().ShouldBe("locked");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var output = run();
        took = clock.Elapsed;
        holder.WaitForExit();
        return output;
    }

    [Theory]
    [InlineData("--format=json")]
    [InlineData("--format", "json")]
    public void Json_at_verbose_verbosity_is_the_document_alone_on_stdout_from_both(params string[] format)
    {
        // Cake prints "Analyzing build script..." on stdout at verbose before the script runs; both scripts send it to
        // stderr and keep stdout for the document (build.ps1 printed it on stdout ahead of the JSON).
        var sh = _runs.BuildSh(["--target=Status", .. format, "--verbosity=verbose"]);
        var ps1 = _runs.BuildPs1(["--target=Status", .. format, "--verbosity=verbose"]);

        sh.ExitCode.ShouldBe(0, sh.ToString());
        sh.Stderr.ShouldContain("Analyzing build script");
        System.Text.Json.JsonDocument.Parse(sh.Stdout).RootElement.GetProperty("format").GetString().ShouldBe("cairn-status");
        ps1.ExitCode.ShouldBe(0, ps1.ToString());
        ps1.Stderr.ShouldContain("Analyzing build script");
        ps1.Masked().Stdout.ShouldBe(sh.Masked().Stdout, $"build.ps1:\n{ps1}\n\nbuild.sh:\n{sh}");
        Directory.EnumerateFiles(Path.Combine(_runs.Root, ".build", "bootstrap"), "document-*").ShouldBeEmpty();
    }

    [Fact]
    public void An_argument_with_an_empty_value_exits_2_from_both_naming_it_before_any_bootstrap_step()
    {
        var sh = _runs.BuildSh("--target=Approve", "--review=");
        var ps1 = _runs.BuildPs1("--target=Approve", "--review=");

        sh.ExitCode.ShouldBe(2, sh.ToString());
        sh.Stdout.ShouldBeEmpty();
        sh.Stderr.ShouldBe("--review=: the value after '=' is empty; give one (--review=VALUE) or leave the argument out. ./build.sh --help lists the arguments.\n");
        ps1.Masked().ShouldBe(sh.Masked(), $"build.ps1:\n{ps1}\n\nbuild.sh:\n{sh}");
    }

    [Fact]
    public void A_usage_error_exits_2_from_both_with_the_same_words()
    {
        var sh = _runs.BuildSh("--target=Package", "--partition=2012-02-30", "--env=qa");
        var ps1 = _runs.BuildPs1("--target=Package", "--partition=2012-02-30", "--env=qa");

        sh.ExitCode.ShouldBe(2, sh.ToString());
        (sh.Stdout + sh.Stderr).ShouldContain("--env=qa: use one of local, ci, prod.");
        ps1.Masked().ShouldBe(sh.Masked(), $"build.ps1:\n{ps1}\n\nbuild.sh:\n{sh}");
    }

    [Fact]
    public void A_pipeline_that_is_not_there_exits_2_from_both_listing_the_pipelines_and_builds_nothing()
    {
        var sh = _runs.BuildSh("--pipeline=wether");
        var ps1 = _runs.BuildPs1("--pipeline=wether");

        sh.ExitCode.ShouldBe(2, sh.ToString());
        sh.Stderr.ShouldBe("--pipeline=wether: there is no pipeline 'wether'; did you mean --pipeline=weather? The pipelines are weather (each pipelines/NAME/pipeline.yaml).\n");
        ps1.Masked().ShouldBe(sh.Masked(), $"build.ps1:\n{ps1}\n\nbuild.sh:\n{sh}");
    }

    [Fact]
    public void The_only_pipeline_named_runs_as_the_default_does_from_both()
    {
        var sh = _runs.BuildSh("--pipeline=weather", "--target=Status");
        var ps1 = _runs.BuildPs1("--pipeline=weather", "--target=Status");

        sh.ExitCode.ShouldBe(0, sh.ToString());
        sh.Stdout.ShouldStartWith("Status of weather: ");
        sh.BootstrapLines.ShouldBeEmpty();
        ps1.Masked().ShouldBe(sh.Masked(), $"build.ps1:\n{ps1}\n\nbuild.sh:\n{sh}");
    }
}
