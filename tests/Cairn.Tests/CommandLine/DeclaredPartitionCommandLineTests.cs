using Cairn.Tests.Support;

namespace Cairn.Tests.CommandLine;

/// <summary>
/// Issue 11, item 1 through the real <c>./build.sh</c>: a small pipeline of hourly partitions
/// (<c>partitions: key: hour, grain: hour</c>) in a temp folder, ingested by the built-in <c>IngestCsv</c>: a first
/// run, a no-op, one changed hour, a backfill of six hours, and an hour key's day given to it.
/// </summary>
[Collection(BuildScriptRuns.Name)]
public sealed class DeclaredPartitionCommandLineTests
{
    private const string Pipeline = """
        name: hourly
        partitions:
          key: hour
          grain: hour
          files: "*.csv"
        default_target: Ingest
        stages:
          Ingest:
            task: Cairn.Stages.Common.IngestCsv
            partitioned: true
            inputs:
              Sources: "{raw}/hour={partition}/*.csv"
            outputs:
              Output: "data/ingested/hour={partition}/events.csv"
        """;

    [Fact]
    public void An_hourly_pipeline_runs_skips_reruns_one_changed_hour_and_backfills_six_hours()
    {
        using var env = new TestEnvironment();
        env.WriteFile("hourly/pipeline.yaml", Pipeline);
        for (var hour = 0; hour < 8; hour++)
        {
            env.WriteFile($"landing/hour=2024-03-01T{hour:00}/events.csv", $"id,value\n1,{hour}\n");
        }

        var first = BuildSh(env, "ws").ShouldExitWith(0);
        var noOp = BuildSh(env, "ws").ShouldExitWith(0);
        env.WriteFile("landing/hour=2024-03-01T05/events.csv", "id,value\n1,corrected\n");
        var changed = BuildSh(env, "ws").ShouldExitWith(0);
        var backfill = BuildSh(env, "fresh", "--from=2024-03-01T01", "--to=2024-03-01T06").ShouldExitWith(0);
        var day = BuildSh(env, "ws", "--partition=2024-03-01").ShouldExitWith(2);

        first.StandardOutput.ShouldMatch(@"\n  Ingest +8 cells +8 ran +0 skipped ");
        first.StandardOutput.ShouldContain("(local, 8 partitions)");
        File.ReadAllText(env.PathOf("ws/data/ingested/hour=2024-03-01T07/events.csv")).ShouldStartWith("id,value,_source,_error\n1,7,");
        noOp.StandardOutput.ShouldContain("Ingest: skipped, all 8 cells up to date\n");
        noOp.StandardOutput.ShouldContain(" s: nothing to do, all 8 cells are up to date; run log ");
        changed.StandardOutput.ShouldMatch(@"\n  Ingest +8 cells +1 ran +7 skipped ");
        changed.StandardOutput.Split('\n').ShouldContain("Ingest hour=2024-03-01T05: run, input changed: $raw/hour=2024-03-01T05/events.csv");
        backfill.StandardOutput.ShouldMatch(@"\n  Ingest +6 cells +6 ran +0 skipped ");
        Directory.GetDirectories(env.PathOf("fresh/data/ingested")).Select(Path.GetFileName).Order(StringComparer.Ordinal)
            .ShouldBe([.. Enumerable.Range(1, 6).Select(h => $"hour=2024-03-01T{h:00}")]);
        day.StandardError.ShouldBe("--partition=2024-03-01: '2024-03-01' is a day, but this pipeline's partitions are hours (partitions: grain: hour); write it as YYYY-MM-DDTHH, e.g. 2013-05-03T14.\n");
        day.StandardOutput.ShouldBeEmpty();
    }

    [Fact]
    public void A_monthly_pipeline_runs_skips_and_reruns_one_changed_month_and_an_unpartitioned_one_has_one_cell()
    {
        using var env = new TestEnvironment();
        env.WriteFile("hourly/pipeline.yaml", Pipeline.Replace("hour", "month", StringComparison.Ordinal).Replace("name: monthly", "name: hourly", StringComparison.Ordinal));
        for (var month = 1; month <= 4; month++)
        {
            env.WriteFile($"landing/month=2024-{month:00}/events.csv", $"id,value\n1,{month}\n");
        }

        var first = BuildSh(env, "ws").ShouldExitWith(0);
        var noOp = BuildSh(env, "ws").ShouldExitWith(0);
        env.WriteFile("landing/month=2024-03/events.csv", "id,value\n1,corrected\n");
        var changed = BuildSh(env, "ws").ShouldExitWith(0);
        var one = BuildSh(env, "ws", "--partition=2024-02", "--force=Ingest").ShouldExitWith(0);

        first.StandardOutput.ShouldMatch(@"\n  Ingest +4 cells +4 ran +0 skipped ");
        File.Exists(env.PathOf("ws/checkpoints/month=2024-04/Ingest.ok")).ShouldBeTrue();
        noOp.StandardOutput.ShouldContain("Ingest: skipped, all 4 cells up to date\n");
        noOp.StandardOutput.ShouldContain(" s: nothing to do, all 4 cells are up to date; run log ");
        changed.StandardOutput.Split('\n').ShouldContain("Ingest month=2024-03: run, input changed: $raw/month=2024-03/events.csv");
        changed.StandardOutput.ShouldMatch(@"\n  Ingest +4 cells +1 ran +3 skipped ");
        one.StandardOutput.ShouldMatch(@"\n  Ingest +1 cell +1 ran +0 skipped ");

        env.WriteFile("hourly/pipeline.yaml", """
            name: hourly
            partitions:
              grain: none
            default_target: Ingest
            stages:
              Ingest:
                task: Cairn.Stages.Common.IngestCsv
                inputs:
                  Sources: "{raw}/*.csv"
                outputs:
                  Output: "data/ingested/events.csv"
            """);
        env.WriteFile("flat/a.csv", "id,value\n1,a\n");
        env.WriteFile("flat/b.csv", "id,value\n2,b\n");
        var whole = BuildSh(env, "flat-ws", "--raw=" + env.PathOf("flat")).ShouldExitWith(0);
        var again = BuildSh(env, "flat-ws", "--raw=" + env.PathOf("flat")).ShouldExitWith(0);
        var partition = BuildSh(env, "flat-ws", "--raw=" + env.PathOf("flat"), "--partition=2024-01-01").ShouldExitWith(2);

        whole.StandardOutput.ShouldMatch(@"\n  Ingest +1 cell +1 ran +0 skipped ");
        File.ReadAllText(env.PathOf("flat-ws/data/ingested/events.csv")).ShouldStartWith("id,value,_source,_error\n1,a,");
        again.StandardOutput.ShouldContain("Ingest: skipped, up to date\n");
        again.StandardOutput.ShouldContain(" s: nothing to do, the cell is up to date; run log ");
        partition.StandardError.ShouldContain("--partition");
        partition.StandardOutput.ShouldBeEmpty();
    }

    private static ProcessStreams BuildSh(TestEnvironment env, string workspace, params string[] arguments) =>
        ProcessStreams.Run(
            Repository.PathOf("build.sh"),
            [.. arguments, $"--pipeline={env.PathOf("hourly/pipeline.yaml")}", $"--workspace={env.PathOf(workspace)}", .. arguments.Any(a => a.StartsWith("--raw=", StringComparison.Ordinal)) ? Array.Empty<string>() : [$"--raw={env.PathOf("landing")}"]],
            Repository.Root);
}
