using System.Globalization;
using Cairn.Engine.Partitions;
using Cairn.Tests.Stages;
using Cairn.Tests.Support;

namespace Cairn.Tests.Performance;

/// <summary>
/// The live memory of a no-op, held to a budget by capping the .NET heap (DOTNET_GCHeapHardLimit): a run that keeps
/// more alive than the cap ends in an OutOfMemoryException and exits 1. The full sample (1,461 days) keeps the test
/// near half a minute. Issue 16's own case, 40,000 days under 384 MiB, takes minutes for the sample's first run (eight
/// stages); here it runs on the sample's first three over 40,000 one-row days: two partitioned stages and the
/// whole-dataset summary that reads every day (a checkpoint listing 40,000 inputs, a fingerprint over them).
/// </summary>
public sealed class NoOpMemoryTests
{
    // A full-sample no-op needs between 28 and 32 MiB of heap today (measured by bisecting the cap: 28 MiB fails,
    // 32 MiB passes); 48 MiB leaves room for noise and still fails if what a no-op keeps alive per cell grows by half.
    private const string HeapCap = "0x3000000";

    // Issue 16 goal 3 asks the sample's 40,000-day no-op to run within 384 MiB of heap: measured so (main ran out of
    // memory in Clean). This smaller pipeline's no-op needs less, and main's passes under 384 MiB too; so it is held to
    // 256 MiB, under which main's runs out of memory in Validate and this one passes (both fail at 192 MiB).
    private const string WideHeapCap = "0x10000000";
    private const int WidePartitions = 40_000;

    // {contract} is the sample's data contract, put in place by the test.
    private const string WidePipeline = """
        name: wide
        partitions:
          key: date
          grain: day
          files: "*.csv"
        default_target: ValidationSummary
        stages:
          Ingest:
            task: Cairn.Stages.Common.IngestCsv
            partitioned: true
            inputs:
              Sources: "{raw}/date={date}/*.csv"
            outputs:
              Output: "data/ingested/date={date}/weather.csv"
          Validate:
            task: Cairn.Stages.Common.ValidateContract
            partitioned: true
            inputs:
              Input: "data/ingested/date={date}/weather.csv"
              Contract: "{pipeline}/contract.yaml"
            outputs:
              Profile: "data/profiles/date={date}/profile.json"
            parameters:
              Partition: "{date}"
          ValidationSummary:
            reads: all
            task: Cairn.Stages.Common.ValidationSummary
            inputs:
              Profiles: "data/profiles/date={each}/profile.json"
            outputs:
              Summary: "reports/validation_summary.md"
        """;

    [Fact]
    public void A_no_op_of_the_full_sample_runs_within_a_48_MiB_heap()
    {
        using var env = new TestEnvironment();
        var landing = env.PathOf("landing");
        LandingZone.EnsureCreated(Repository.PathOf("pipelines/weather/data/seattle-weather.csv"), "date", landing, PartitionScheme.Default);
        string[] arguments = ["--target=Package", $"--workspace={env.PathOf("ws")}", $"--raw={landing}"];
        ProcessStreams.Run(Repository.PathOf("build.sh"), arguments, Repository.Root).ShouldExitWith(0);

        var noOp = ProcessStreams.Run(Repository.PathOf("build.sh"), arguments, Repository.Root, new Dictionary<string, string?> { ["DOTNET_GCHeapHardLimit"] = HeapCap });

        noOp.StandardOutput.ShouldNotContain("OutOfMemoryException");
        noOp.ShouldExitWith(0);
        noOp.StandardOutput.ShouldContain("Package: skipped, up to date");
    }

    [Fact]
    public void A_no_op_over_40_000_partitions_runs_within_a_256_MiB_heap()
    {
        using var env = new TestEnvironment();
        env.WriteFile("wide/pipeline.yaml", WidePipeline);
        File.Copy(SampleData.WeatherContract, env.PathOf("wide/contract.yaml"));
        var first = new DateOnly(1920, 1, 1);
        for (var i = 0; i < WidePartitions; i++)
        {
            var day = first.AddDays(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            env.WriteFile($"landing/date={day}/weather.csv", $"date,precipitation,temp_max,temp_min,wind,weather\n{day},{i % 7}.5,12.8,5.0,4.7,rain\n");
        }

        string[] arguments = [$"--pipeline={env.PathOf("wide/pipeline.yaml")}", $"--workspace={env.PathOf("ws")}", $"--raw={env.PathOf("landing")}"];
        var run = ProcessStreams.Run(Repository.PathOf("build.sh"), arguments, Repository.Root, timeoutSeconds: 1800);
        run.ShouldExitWith(0);
        run.StandardOutput.ShouldMatch(@"\n  ValidationSummary +1 cell +1 ran ");

        var noOp = ProcessStreams.Run(Repository.PathOf("build.sh"), arguments, Repository.Root, new Dictionary<string, string?> { ["DOTNET_GCHeapHardLimit"] = WideHeapCap }, timeoutSeconds: 900);

        noOp.StandardOutput.ShouldNotContain("OutOfMemoryException");
        noOp.ShouldExitWith(0);
        noOp.StandardOutput.ShouldContain("Validate: skipped, all 40,000 cells up to date");
        noOp.StandardOutput.ShouldContain("ValidationSummary: skipped, up to date");
    }
}
