using Cairn.Tests.Engine;

namespace Cairn.Tests.Reliability;

/// <summary>
/// Issue 10, smaller ones: numbers past what a run can use are usage errors naming the argument or parameter and its
/// range, found when the pipeline loads, never .NET's overflow message in the middle of a run.
/// </summary>
public sealed class RangeErrorTests
{
    [Theory]
    [InlineData("1e300s")]
    [InlineData("1200h")]
    public void A_run_timeout_past_49_days_is_a_usage_error_naming_the_range(string timeout)
    {
        using var h = EngineHarness.TwoStages("2013-05-01");

        var run = h.Run($"--timeout={timeout}");

        run.UsageError.ShouldBeTrue(run.Output);
        ((CairnUsageException)run.Failure!).Problems.ShouldBe([$"--timeout={timeout}: it is longer than the longest, 49 days; give a duration from 1ms to 49 days, such as 90s, 30m or 2h."]);
    }

    [Fact]
    public void A_stage_timeout_or_retry_delay_past_its_range_is_refused_naming_the_stage()
    {
        using var h = new EngineHarness(
            new PipelineYaml().Stage("Faulty", "TestStage", s => s.CopiesEachDay("data/out/date={date}/out.txt").Timeout("1e300s").Retry(2, "2000h")),
            ("Faulty", []));
        h.WriteRaw("2013-05-01", "row\n");

        var run = h.Run();

        run.UsageError.ShouldBeTrue(run.Output);
        run.Failure!.Message.ShouldContain($"{h.Env.PathOf("pipeline/pipeline.yaml")}:13: stage 'Faulty' timeout '1e300s': it is longer than the longest, 49 days; give a duration from 1ms to 49 days, e.g. 90s, 10m or 1h.");
        run.Failure.Message.ShouldContain($"{h.Env.PathOf("pipeline/pipeline.yaml")}:16: stage 'Faulty' retry.delay '2000h' is longer than the longest pause between retries, 1 day; write e.g. 500ms, 2s or 1m.");
    }

    [Fact]
    public void A_varied_seed_that_would_overflow_on_a_retry_is_refused_naming_the_parameter_and_the_largest_start()
    {
        using var h = Diverging("2147483647");

        var run = h.Run();

        run.UsageError.ShouldBeTrue(run.Output);
        ((CairnUsageException)run.Failure!).Problems.Single().ShouldBe(
            $"{h.Env.PathOf("pipeline/pipeline.yaml")}:14 (Seed): stage 'Fit' parameter 'Seed' is 2147483647, and retry.vary adds 1 on each of 2 retries, reaching 2147483649, outside the range of Int32 (-2147483648 to 2147483647); give 'Seed' a value of at most 2147483645.");
    }

    [Fact]
    public void A_seed_that_is_not_an_int_names_the_range()
    {
        using var h = Diverging("2147483648");

        var run = h.Run();

        run.Failure!.Message.ShouldContain("stage 'Fit' parameter 'Seed' expects a whole number from -2147483648 to 2147483647, not '2147483648'.");
    }

    [Fact]
    public void The_largest_seed_that_fits_every_attempt_runs_every_attempt()
    {
        using var h = Diverging("2147483645", goodFrom: 2147483647);

        var run = h.Run().ShouldSucceed();

        run.Output.ShouldContain("retrying with Seed 2147483647");
        File.ReadAllText(h.WorkspaceFile("data/fit/date=2013-05-01/fit.txt")).ShouldBe("seed 2147483647\n");
    }

    private static EngineHarness Diverging(string seed, int goodFrom = int.MaxValue)
    {
        var h = new EngineHarness(
            new PipelineYaml().Stage("Fit", "TestStage", s => s.CopiesEachDay("data/fit/date={date}/fit.txt").Parameter("Fault", "diverge").Parameter("Seed", seed).Parameter("GoodFrom", goodFrom).Retry(3, "0s", on: ["CAIRN9902"], vary: "seed: 1")),
            ("Fit", []));
        h.WriteRaw("2013-05-01", "row\n");
        return h;
    }
}
