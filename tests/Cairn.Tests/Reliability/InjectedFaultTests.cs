using Cairn.Tests.CommandLine;
using Cairn.Tests.Support;

namespace Cairn.Tests.Reliability;

/// <summary>
/// Issue 10, through real <c>./build.sh</c> runs with faults injected by <c>strace</c> (an I/O error on a given file's
/// reads, a SIGKILL on a rename) or planted (a FIFO): an I/O error while deciding names the stage, the cell and its
/// log; one while Ingest reads a raw file is retried by the sample's <c>retry:</c>; a FIFO is refused at once; a kill
/// during the stat cache's save leaves a temp file that the next run removes.
/// </summary>
[Collection(BuildScriptRuns.Name)]
public sealed class InjectedFaultTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    private readonly IReadOnlyList<string> _days;

    public InjectedFaultTests() => _days = SampleRaw.Write(_env, "raw", 2);

    public void Dispose() => _env.Dispose();

    private string Raw(string day) => _env.PathOf($"raw/date={day}/weather.csv");

    private string[] Arguments(params string[] more) => ["--target=Ingest", $"--raw={_env.PathOf("raw")}", $"--workspace={_env.PathOf("ws")}", .. more];

    [SkippableFact]
    public void An_io_error_while_deciding_fails_the_cell_after_its_retries_naming_the_stage_the_cell_and_its_log()
    {
        Skip.IfNot(Strace.Works, Strace.Missing);
        var day = _days[0];

        // Every read of that one raw file fails with EIO: the hashing that decides (read(2): the engine reads a small
        // file whole with open, read and close), and each retry's (pread64, through the task's file stream).
        using var run = BuildProcess.StartUnder(Strace.Inject(Raw(day), "read,pread64:error=EIO:when=1+"), Arguments()).Finish().ShouldExitWith(1);

        run.Output.ShouldContain($"failed: Stage 'Ingest' failed for date={day} after 3 attempts: cannot read $raw/date={day}/weather.csv: Input/output error");
        run.Output.ShouldContain($"(log: logs/date={day}/Ingest.log)");
        run.Output.ShouldContain($"Ingest date={day}: attempt 2/3 after ");
        run.Output.ShouldMatch(@"  Ingest  2 cells  1 ran  0 skipped  1 failed ");
        run.Output.ShouldNotContain("One or more errors occurred");
        File.ReadAllText(_env.PathOf($"ws/logs/date={day}/Ingest.log")).ShouldContain("failed: cannot read");
    }

    [SkippableFact]
    public void An_io_error_while_ingest_reads_a_raw_file_is_retried_by_the_samples_retry_policy()
    {
        Skip.IfNot(Strace.Works, Strace.Missing);
        var day = _days[0];

        // Strace counts each thread's pread64 calls on the file apart. The engine hashes a small file with read(2)
        // (the decision, and the check after the cell that its inputs did not move, whichever thread does it), so only
        // the task's file stream counts here: Ingest's format check reads the file twice (its bytes, then the end), and
        // Ingest's third read is its first of the rows. The retry runs on the same stage thread, past its third read.
        using var run = BuildProcess.StartUnder(Strace.Inject(Raw(day), "pread64:error=EIO:when=3"), Arguments($"--partition={day}")).Finish().ShouldExitWith(0);

        run.Output.ShouldContain($"Ingest date={day}: attempt 2/3 after ");
        run.Output.ShouldContain("Input/output error");
        File.ReadAllText(_env.PathOf($"ws/checkpoints/date={day}/Ingest.ok")).ShouldContain("\"attempts\": 2");
        File.ReadAllLines(_env.PathOf($"ws/data/ingested/date={day}/weather.csv")).Length.ShouldBe(2, "the header and the day's row, read whole by the second attempt");
    }

    [Fact]
    public void A_fifo_named_like_a_csv_file_fails_its_cell_naming_it_and_the_run_ends()
    {
        var day = _days[1];
        var fifo = _env.PathOf($"raw/date={day}/stream.csv");
        Processes.Run("mkfifo", [fifo], _env.Root).ExitCode.ShouldBe(0);

        using var run = BuildProcess.Start(Arguments("--timeout=60s")).Finish().ShouldExitWith(1);

        run.Output.ShouldContain($"failed: Stage 'Ingest' failed for date={day}: cannot read $raw/date={day}/stream.csv: it is a FIFO (named pipe), not a regular file; only regular files are inputs. Remove it, or rename it so that no input path matches it (log: logs/date={day}/Ingest.log)");
    }

    [SkippableFact]
    public void A_kill_during_the_stat_cache_save_leaves_a_temp_file_that_the_next_run_removes()
    {
        Skip.IfNot(Strace.Works, Strace.Missing);
        BuildProcess.Start(Arguments()).Finish().ShouldExitWith(0).Dispose();

        // A touched raw file changes the stat cache and nothing else: no cell runs, so the run renames three files, all
        // on its main thread: its claims file when it registers (1) and when it claims its cells (2), then the stat
        // cache when it saves it (3).
        File.SetLastWriteTimeUtc(Raw(_days[0]), DateTime.UtcNow);
        using (var killed = BuildProcess.StartUnder(["/usr/bin/strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=rename", "-e", "inject=rename:signal=KILL:when=3"], Arguments()).Finish())
        {
            killed.ExitCode.ShouldBe(BuildProcess.KilledExitCode, killed.Output);
        }

        var state = _env.PathOf("ws/.cairn");
        Directory.EnumerateFiles(state, ".stat-cache.bin.*.tmp").ShouldNotBeEmpty("the kill landed during the save");

        BuildProcess.Start(Arguments()).Finish().ShouldExitWith(0).Dispose();

        Directory.EnumerateFiles(state, ".stat-cache.bin.*.tmp").ShouldBeEmpty();
    }
}
