using System.Text.Json;
using Cairn.Tests.CommandLine;
using Cairn.Tests.Support;

namespace Cairn.Tests.Slurm;

/// <summary>
/// <c>--executor=slurm</c> against a real single-node Slurm cluster the test starts (<see cref="SlurmCluster"/>), through
/// a real <c>./build.sh</c>: the same outputs as a local run, the job arrays in the queue and the job log, a killed
/// array task retried, Ctrl+C cancelling the queued jobs, and the faults of a cluster that is down or never starts a job.
/// </summary>
[Collection(BuildScriptRuns.Name)]
public sealed class SlurmExecutorTests
{
    private const int Days = 366;

    [SkippableFact]
    public void A_backfill_through_slurm_gives_the_outputs_of_a_local_run_as_job_arrays()
    {
        Skip.IfNot(SlurmCluster.Installed, SlurmCluster.Missing);
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", Days, step: 4);
        using var cluster = SlurmCluster.Start(env.CreateFolder("slurm"));
        string[] common = ["--target=Package", $"--raw={env.PathOf("raw")}"];

        Run([.. common, $"--workspace={env.PathOf("local")}"]).ShouldExitWith(0);
        var slurm = Run([.. common, $"--workspace={env.PathOf("remote")}", "--executor=slurm", "--slurm-cells-per-task=128"], cluster).ShouldExitWith(0);

        slurm.Output.ShouldContain("Slurm: the nodes see the workspace (probe job ");
        slurm.Output.ShouldContain($"Ingest: {Days} cells submitted as Slurm job ");
        slurm.Output.ShouldContain("(array 0-2, up to 128 cells a task)");
        slurm.Output.ShouldContain("Train: 1 cell submitted as Slurm job ");
        OutputsOf(env.PathOf("remote")).ShouldBe(OutputsOf(env.PathOf("local")));
        IntactCheckpoints.ShouldHoldIn(env.PathOf("remote"));

        var ingest = cluster.Jobs().Where(j => j.Name == "cairn-Ingest").ToList();
        ingest.Count.ShouldBe(3, string.Join("\n", cluster.Jobs()));
        ingest.ShouldAllBe(j => j.State == "COMPLETED");
        ingest.Select(j => j.Id[(j.Id.IndexOf('_', StringComparison.Ordinal) + 1)..]).Order().ShouldBe(["0", "1", "2"]);
        var jobLog = File.ReadAllText(cluster.JobLog);
        jobLog.ShouldContain("Name=cairn-Ingest");
        jobLog.ShouldContain("ArrayTaskId=2");
        // sacct reads the same job completion data (no slurmdbd here: --completion instead of the accounting database).
        var sacct = cluster.Command("sacct", "--completion", "--noheader", "--parsable2", "--format=JobID,JobName,State");
        sacct.ExitCode.ShouldBe(0, sacct.Output);
        sacct.Output.Split('\n').Where(l => l.Contains("|cairn-Ingest|COMPLETED", StringComparison.Ordinal)).Count().ShouldBe(3, sacct.Output);

        // Up to date: the next run decides as always and submits nothing but its probe.
        var again = Run([.. common, $"--workspace={env.PathOf("remote")}", "--executor=slurm"], cluster).ShouldExitWith(0);
        again.Output.ShouldNotContain("submitted as Slurm job");
        again.Output.ShouldContain("Ingest: skipped");
    }

    [SkippableFact]
    public void A_killed_array_task_is_a_failed_attempt_and_its_cells_are_retried()
    {
        Skip.IfNot(SlurmCluster.Installed, SlurmCluster.Missing);
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", Days, step: 4);
        using var cluster = SlurmCluster.Start(env.CreateFolder("slurm"));
        var workspace = env.PathOf("ws");
        string? killed = null;

        var run = RunWatched(["--target=Ingest", $"--raw={env.PathOf("raw")}", $"--workspace={workspace}", "--executor=slurm", "--slurm-cells-per-task=16"], cluster, () =>
        {
            // The first Ingest task seen running is killed (SIGKILL to all its processes), as a node or an OOM killer would.
            if (killed is null && cluster.Jobs().FirstOrDefault(j => j.Name == "cairn-Ingest" && j.State == "RUNNING") is { Id: not null } job)
            {
                cluster.Command("scancel", "--signal=KILL", "--full", job.Id);
                killed = job.Id;
            }

            return false;
        });

        run.ShouldExitWith(0);
        killed.ShouldNotBeNull(run.Output);
        run.Output.ShouldContain($"Slurm job {killed} ended ");
        run.Output.ShouldContain("attempt 2/3 after ");
        run.Output.ShouldContain($"Ingest: ran {Days} cells");
        IngestCheckpoints(workspace).ShouldBe(Days);
        IntactCheckpoints.ShouldHoldIn(workspace);
    }

    [SkippableFact]
    public void Ctrl_C_cancels_the_queued_jobs_and_records_nothing_of_them()
    {
        Skip.IfNot(SlurmCluster.Installed, SlurmCluster.Missing);
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", Days, step: 4);
        using var cluster = SlurmCluster.Start(env.CreateFolder("slurm"));
        var workspace = env.PathOf("ws");
        var interrupted = false;

        // Every job is submitted held (--hold): the test lets the probe go, and interrupts the run while Ingest's array waits.
        var run = RunWatched(["--target=Package", $"--raw={env.PathOf("raw")}", $"--workspace={workspace}", "--executor=slurm", "--slurm-flags=--hold"], cluster, () =>
        {
            var jobs = cluster.Jobs();
            foreach (var probe in jobs.Where(j => j.Name == "cairn-probe" && j.State == "PENDING"))
            {
                cluster.Command("scontrol", "release", probe.Id);
            }

            interrupted = jobs.Any(j => j.Name == "cairn-Ingest" && j.State == "PENDING");
            return interrupted;
        });

        interrupted.ShouldBeTrue(run.Output);
        run.ExitCode.ShouldBe(130, run.Output);
        run.Output.ShouldContain("cancelling Slurm job ");
        var ingest = cluster.Jobs().Where(j => j.Name == "cairn-Ingest").ToList();
        ingest.ShouldNotBeEmpty();
        ingest.ShouldAllBe(j => j.State == "CANCELLED");
        IngestCheckpoints(workspace).ShouldBe(0);
        IntactCheckpoints.ShouldHoldIn(workspace);
    }

    [SkippableFact]
    public void A_job_pending_past_the_limit_is_cancelled_and_its_cells_fail_saying_why()
    {
        Skip.IfNot(SlurmCluster.Installed, SlurmCluster.Missing);
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 8, step: 4);
        using var cluster = SlurmCluster.Start(env.CreateFolder("slurm"));
        var workspace = env.PathOf("ws");

        var run = RunWatched(["--target=Ingest", $"--raw={env.PathOf("raw")}", $"--workspace={workspace}", "--executor=slurm", "--slurm-flags=--hold", "--slurm-pending-limit=3s", "--keep-going"], cluster, () =>
        {
            foreach (var probe in cluster.Jobs().Where(j => j.Name == "cairn-probe" && j.State == "PENDING"))
            {
                cluster.Command("scontrol", "release", probe.Id);
            }

            return false;
        });

        run.ExitCode.ShouldBe(1, run.Output);
        run.Output.ShouldContain("tasks still pending after 3 s (JobHeldUser); cancelling them");
        run.Output.ShouldContain("waited in the queue for more than 3 s (reason: JobHeldUser); it was cancelled. Check the partition (sinfo, squeue) or raise --slurm-pending-limit");
        cluster.Jobs().Where(j => j.Name == "cairn-Ingest").ShouldAllBe(j => j.State == "CANCELLED");
        IngestCheckpoints(workspace).ShouldBe(0);
    }

    [SkippableFact]
    public void A_cluster_that_is_down_is_refused_before_any_stage_runs()
    {
        Skip.IfNot(SlurmCluster.Installed, SlurmCluster.Missing);
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 8, step: 4);
        var cluster = SlurmCluster.Start(env.CreateFolder("slurm"));
        cluster.Dispose();
        var workspace = env.PathOf("ws");

        var run = Run(["--target=Ingest", $"--raw={env.PathOf("raw")}", $"--workspace={workspace}", "--executor=slurm"], cluster).ShouldExitWith(2);

        run.Output.ShouldContain("--executor=slurm: sbatch failed (exit 1): ");
        run.Output.ShouldContain("Is the Slurm cluster up (sinfo), and do the --slurm-* options name a partition and account it has?");
        Directory.Exists(Path.Combine(workspace, "checkpoints")).ShouldBeFalse();
    }

    [SkippableFact]
    public void With_the_shared_cache_the_cells_it_has_are_restored_and_only_the_others_submitted()
    {
        Skip.IfNot(SlurmCluster.Installed, SlurmCluster.Missing);
        Skip.If(NginxServer.Binary is null, NginxServer.Missing);
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 8, step: 4);
        using var nginx = NginxServer.Start(env.PathOf("nginx"));
        using var cluster = SlurmCluster.Start(env.CreateFolder("slurm"));
        string[] common = ["--target=Clean", $"--raw={env.PathOf("raw")}", $"--cache={nginx.Address}"];
        Run([.. common, $"--workspace={env.PathOf("filled")}", "--to=2012-01-21"]).ShouldExitWith(0);

        var slurm = Run([.. common, $"--workspace={env.PathOf("remote")}", "--executor=slurm"], cluster).ShouldExitWith(0);

        // The cache holds the first six days (to 2012-01-21, every 4th day): they are restored; the last two run on Slurm.
        slurm.Output.ShouldContain("Ingest: 2 cells submitted as Slurm job ");
        slurm.Output.ShouldContain("Ingest: 6 cells restored from cache, 2 ran in ");
        slurm.Output.ShouldContain("Clean: 6 cells restored from cache, 2 ran in ");
        string.Join(' ', cluster.Jobs().Where(j => j.Name != "cairn-probe").Select(j => j.Name).Order()).ShouldBe("cairn-Clean cairn-Ingest cairn-Validate", string.Join("\n", cluster.Jobs()));
        OutputsOf(env.PathOf("remote")).Where(o => !o.Contains("date=2012-01-25", StringComparison.Ordinal) && !o.Contains("date=2012-01-29", StringComparison.Ordinal))
            .ShouldBe(OutputsOf(env.PathOf("filled")));
        IntactCheckpoints.ShouldHoldIn(env.PathOf("remote"));
    }

    [Fact]
    public void Slurm_options_without_the_slurm_executor_are_refused()
    {
        using var env = new TestEnvironment();
        SampleRaw.Write(env, "raw", 4, step: 4);

        var run = Run(["--target=Ingest", $"--raw={env.PathOf("raw")}", $"--workspace={env.PathOf("ws")}", "--slurm-partition=debug", "--slurm-cells-per-task=0"]).ShouldExitWith(2);

        run.Output.ShouldContain("--slurm-cells-per-task, --slurm-partition: only with --executor=slurm; add it, or leave them out for a local run.");
    }

    /// <summary>How many cells of Ingest are checkpointed (<c>checkpoints/date=…/Ingest.ok</c>).</summary>
    private static int IngestCheckpoints(string workspace) =>
        Directory.Exists(Path.Combine(workspace, "checkpoints"))
            ? Directory.EnumerateFiles(Path.Combine(workspace, "checkpoints"), "Ingest.ok", SearchOption.AllDirectories).Count()
            : 0;

    private static ProcessResult Run(string[] arguments, SlurmCluster? cluster = null) =>
        Processes.Run(Repository.PathOf("build.sh"), arguments, Repository.Root, cluster?.Environment, timeoutSeconds: 600);

    private static ProcessResult RunWatched(string[] arguments, SlurmCluster cluster, Func<bool> watch) =>
        Processes.RunInterruptible(Repository.PathOf("build.sh"), arguments, Repository.Root, cluster.Environment, watch);

    /// <summary>Every checkpoint's outputs (stage, partition, path, content hash), in order: what two runs must agree on.</summary>
    private static List<string> OutputsOf(string workspace) =>
        Directory.EnumerateFiles(Path.Combine(workspace, "checkpoints"), "*.ok", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .SelectMany(ok =>
            {
                using var json = JsonDocument.Parse(File.ReadAllText(ok));
                var relative = Path.GetRelativePath(workspace, ok);
                return json.RootElement.GetProperty("outputs").EnumerateArray()
                    .Select(o => $"{relative}: {o.GetProperty("path").GetString()} {o.GetProperty("hash").GetString()}")
                    .ToList();
            })
            .ToList();
}
