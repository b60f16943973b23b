using System.Text.Json;
using Xunit.Abstractions;

namespace Cairn.Tests.Engine;

public sealed class RetryTests(ITestOutputHelper output)
{
    [Fact]
    public void Transient_io_failures_are_retried_with_every_attempt_visible_and_counted_in_the_checkpoint()
    {
        using var h = FlakyDay(failures: 2);

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Flaky date=2013-05-01: attempt 2/3 after ");
        run.Output.ShouldContain(" s: IOException: disk hiccup 1");
        run.Output.ShouldContain("Flaky date=2013-05-01: attempt 3/3 after ");
        File.ReadAllText(h.WorkspaceFile("data/flaky/date=2013-05-01/out.txt")).ShouldBe("good\n");
        using var checkpoint = JsonDocument.Parse(File.ReadAllText(h.Checkpoint("Flaky", "2013-05-01")));
        checkpoint.RootElement.GetProperty("attempts").GetInt32().ShouldBe(3);
        var log = File.ReadAllText(h.WorkspaceFile("logs/date=2013-05-01/Flaky.log"));
        log.ShouldContain("(attempt 1/3)");
        log.ShouldContain("attempt 2/3 after");
        log.ShouldContain("(attempt 3/3)");
    }

    [Fact]
    public void Exhausted_attempts_fail_the_cell_naming_how_many_and_leave_no_partial_output()
    {
        using var h = FlakyDay(failures: 5);

        var run = h.Run();

        run.Failure!.Message.ShouldBe("Stage 'Flaky' failed for date=2013-05-01 after 3 attempts: IOException: disk hiccup 3 (log: logs/date=2013-05-01/Flaky.log)");
        File.Exists(h.WorkspaceFile("data/flaky/date=2013-05-01/out.txt")).ShouldBeFalse();
        File.Exists(h.Checkpoint("Flaky", "2013-05-01")).ShouldBeFalse();
        Directory.EnumerateFiles(h.WorkspaceFile(".cairn/staging"), "*", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    [Fact]
    public void A_logged_validation_error_is_never_retried()
    {
        var yaml = new PipelineYaml().Stage("Faulty", "TestStage", s => s.CopiesEachDay("data/out/date={date}/out.txt").Parameter("Fault", "error").Parameter("FailOn", "2013-05-01").Retry(3, "10ms"));
        using var h = new EngineHarness(yaml, ("Faulty", []));
        h.WriteRaw("2013-05-01", "row\n");

        var run = h.Run();

        run.Failure!.Message.ShouldBe("Stage 'Faulty' failed for date=2013-05-01: CAIRN9901: the test stage was told to fail (log: logs/date=2013-05-01/Faulty.log)");
        run.Output.ShouldNotContain("attempt 2/3");
    }

    [Fact]
    public void A_code_named_by_the_policy_retries_with_the_next_value_of_the_varied_parameter_and_says_so()
    {
        var yaml = new PipelineYaml().Stage("Seeded", "TestStage", s => s
            .Input("Input", "{raw}/date=2013-05-01/part.csv")
            .Output("Output", "data/seeded.txt")
            .Parameter("Fault", "diverge")
            .Parameter("Seed", 42)
            .Parameter("GoodFrom", 44)
            .Retry(3, "0s", on: ["CAIRN9902"], vary: "seed: 1"));
        using var h = new EngineHarness(yaml, ("Seeded", []));
        h.WriteRaw("2013-05-01", "row\n");

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("Seeded: attempt 2/3 after 0.0 s: CAIRN9902: did not converge with seed 42; retrying with Seed 43");
        run.Output.ShouldContain("Seeded: attempt 3/3 after 0.0 s: CAIRN9902: did not converge with seed 43; retrying with Seed 44");
        File.ReadAllText(h.WorkspaceFile("data/seeded.txt")).ShouldBe("seed 44\n");
        h.Run().ShouldSucceed().Output.ShouldContain("Seeded: skipped, up to date");
    }

    [Fact]
    public void Injected_transient_faults_across_many_partitions_are_all_absorbed_by_retries()
    {
        // Each day's cell fails with an I/O error on its first 0, 1 or 2 attempts (seeded), within the policy's 3.
        const int Seed = 20261122;
        var random = new Random(Seed);
        var days = Enumerable.Range(1, 40).Select(d => new DateOnly(2014, 2, 1).AddDays(d).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var failures = days.ToDictionary(d => d, _ => random.Next(0, 3));
        using var h = new EngineHarness(Flaky(failures: 0), ("Flaky", []));
        foreach (var day in days)
        {
            h.WriteRaw(day, $"row {day}\n");
            // The stage fails while its attempt counter is at most Failures (0): starting the counter at -N fails N attempts.
            File.WriteAllText(Path.Combine(h.Raw, $"attempts-{day}.txt"), (-failures[day]).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var run = h.Run().ShouldSucceed();

        var injected = failures.Values.Sum();
        output.WriteLine($"seed {Seed}: {injected} transient I/O faults injected over {days.Count} cells, all absorbed by retries");
        injected.ShouldBeGreaterThan(20, $"seed {Seed} should inject a fair number of faults");
        run.Lines.Count(l => l.Contains(": attempt ", StringComparison.Ordinal)).ShouldBe(injected);
        foreach (var day in days)
        {
            using var checkpoint = JsonDocument.Parse(File.ReadAllText(h.Checkpoint("Flaky", day)));
            checkpoint.RootElement.GetProperty("attempts").GetInt32().ShouldBe(failures[day] + 1, day);
            File.ReadAllText(h.WorkspaceFile($"data/flaky/date={day}/out.txt")).ShouldBe($"row {day}\n");
        }
    }

    private static EngineHarness FlakyDay(int failures)
    {
        var h = new EngineHarness(Flaky(failures), ("Flaky", []));
        h.WriteRaw("2013-05-01", "good\n");
        return h;
    }

    /// <summary>Flaky: per day, an I/O error on the first <paramref name="failures"/> attempts of the cell, within a policy of 3 attempts.</summary>
    private static PipelineYaml Flaky(int failures) =>
        new PipelineYaml().Stage("Flaky", "TestStage", s => s.CopiesEachDay("data/flaky/date={date}/out.txt").Parameter("Fault", "transient").Parameter("Failures", failures).Retry(3, "10ms", maxDelay: "50ms"));
}
