using Cairn.Engine.Workspace;
using Cairn.Tests.Engine;
using Cairn.Tests.Support;

namespace Cairn.Tests.Reliability;

/// <summary>
/// Issue 10, items 7 and 8: a run always ends. A read that blocks, in a stage or in the decision, is given up at the
/// run's <c>--timeout</c>; a full disk while taking the workspace lets go of the lock, so the same process can run
/// again once there is room, and <c>--no-wait</c> does not blame a run that does not exist. Each run is watched from
/// the test's thread, which gives up after a minute (a hang), never a timing assertion.
/// </summary>
public sealed class NeverHangTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromMinutes(1);

    [Fact]
    public void A_stage_blocked_in_a_read_is_given_up_at_the_runs_timeout_and_nothing_of_it_is_recorded()
    {
        using var h = new EngineHarness(PipelineYaml.Faulty("block-read"), ("Faulty", []));
        h.WriteRaw("2013-05-02", "row\n");
        var pipe = h.Env.PathOf("raw/pipe");
        Processes.Run("mkfifo", [pipe], h.Env.Root).ExitCode.ShouldBe(0);
        try
        {
            var run = Watched(() => h.Run("--timeout=1s"));

            run.ExitCode.ShouldBe(1, run.Output);
            run.Output.ShouldContain("cancelled: the run's --timeout of 1 s ran out");
            File.Exists(h.Checkpoint("Faulty", "2013-05-02")).ShouldBeFalse();
        }
        finally
        {
            // Lets the abandoned stage thread finish its read.
            File.WriteAllText(pipe, "done");
        }
    }

    [Fact]
    public void A_decision_blocked_in_a_read_is_given_up_at_the_runs_timeout()
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        var raw = Path.Combine(h.Raw, "date=2013-05-01", "part.csv");
        using var release = new ManualResetEventSlim();
        void Block(string path, bool fresh)
        {
            if (path == raw)
            {
                release.Wait(Hang);
            }
        }

        FileHashes.ContentRead += Block;
        try
        {
            var run = Watched(() => h.Run("--timeout=1s"));

            run.ExitCode.ShouldBe(1, run.Output);
            run.Output.ShouldContain("cancelled: the run's --timeout of 1 s ran out");
        }
        finally
        {
            FileHashes.ContentRead -= Block;
            release.Set();
        }
    }

    [SkippableFact]
    public void A_full_disk_while_taking_the_workspace_lets_go_of_the_lock_and_the_same_process_runs_again_once_there_is_room()
    {
        Skip.IfNot(Environment.UserName == "root" && OperatingSystem.IsLinux(), "mounts a small tmpfs to fill: needs root on Linux (CI runs as root)");
        using var h = EngineHarness.TwoStages("2013-05-01");
        Directory.CreateDirectory(h.Workspace);
        Processes.Run("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", h.Workspace], h.Env.Root).ExitCode.ShouldBe(0);
        try
        {
            Directory.CreateDirectory(h.WorkspaceFile(".cairn"));
            File.WriteAllText(h.WorkspaceFile(".cairn/lock"), string.Empty);
            var filler = h.WorkspaceFile("filler");
            Fill(filler);

            var full = Watched(() => h.Run());
            var noWait = Watched(() => h.Run("--no-wait"));
            File.Delete(filler);
            var roomy = Watched(() => h.Run());

            full.UsageError.ShouldBeTrue(full.Output);
            full.Failure!.Message.ShouldContain(".cairn/lock.holder failed (No space left on device");
            full.Failure.Message.ShouldContain("nothing is held");
            noWait.Failure!.Message.ShouldNotContain("Another run holds the workspace");
            noWait.Failure.Message.ShouldContain("No space left on device");
            roomy.ShouldSucceed();
        }
        finally
        {
            Processes.Run("umount", ["-l", h.Workspace], h.Env.Root);
        }
    }

    /// <summary>Runs <paramref name="run"/> on a thread of its own and fails the test if it has not ended within a minute.</summary>
    private static RunOutcome Watched(Func<RunOutcome> run)
    {
        var task = Task.Factory.StartNew(run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        task.Wait(Hang).ShouldBeTrue($"the run did not end within {Hang.TotalSeconds} s: it hangs");
        return task.Result;
    }

    private static void Fill(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        var block = new byte[4096];
        try
        {
            while (true)
            {
                stream.Write(block);
                stream.Flush();
            }
        }
        catch (IOException)
        {
            // The file system is full.
        }
    }
}
