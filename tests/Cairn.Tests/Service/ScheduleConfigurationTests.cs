using Cairn.Engine.Configuration;
using Cairn.Engine.Partitions;
using Cairn.Service.Pipelines;
using Cairn.Service.Scheduling;
using Cairn.Tests.Engine;
using Cairn.Tests.Support;

namespace Cairn.Tests.Service;

/// <summary>The <c>schedules:</c> list as the engine reads it from the pipeline file, and the partitions a fire takes.</summary>
public sealed class ScheduleConfigurationTests
{
    [Fact]
    public void Every_key_of_a_schedule_is_read()
    {
        using var env = new TestEnvironment();
        var file = env.WriteFile("pipeline.yaml", ServiceHarness.CopyPipeline(extra: """
            schedules:
              - name: nightly
                cron: "0 30 2 * * ?"
                time_zone: Europe/Paris
                target: Copy
                partitions: last 7 days
                catch_up: 7
                retry: { attempts: 4, delay: 30s, max_delay: 10m }
              - name: arrivals
                arrival: { quiet_period: 45s, rescan: 2m }
              - name: after_orders
                after: { pipeline: orders, status: finished }
                partitions: all
            """).ToString());

        var schedules = PipelineLoader.Load(file).Schedules;

        schedules.Count.ShouldBe(3);
        var nightly = schedules[0];
        (nightly.Kind, nightly.Cron, nightly.TimeZone, nightly.Target, nightly.Partitions, nightly.CatchUp).ShouldBe((ScheduleKind.Cron, "0 30 2 * * ?", "Europe/Paris", "Copy", new PartitionWindow(PartitionWindowKind.LastDays, 7), 7));
        nightly.Retry.ShouldBe(new RunRetryPolicy(4, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10)));
        nightly.Source.ShouldBe($"{file}:15");
        var arrivals = schedules[1];
        (arrivals.Kind, arrivals.QuietPeriod, arrivals.Rescan, arrivals.Partitions.Kind, arrivals.Target).ShouldBe((ScheduleKind.Arrival, TimeSpan.FromSeconds(45), TimeSpan.FromMinutes(2), PartitionWindowKind.Arrived, null));
        var after = schedules[2];
        (after.Kind, after.AfterPipeline, after.AfterStatus, after.Partitions).ShouldBe((ScheduleKind.After, "orders", "finished", PartitionWindow.All));
    }

    [Fact]
    public void Every_problem_of_a_schedules_list_is_reported_at_once_with_its_line_and_fix()
    {
        using var env = new TestEnvironment();
        var file = env.WriteFile("pipeline.yaml", ServiceHarness.CopyPipeline(extra: """
            schedules:
              - name: both
                cron: "0 0 3 * * ?"
                arrival: true
              - cron: "0 0 3 * *"
                partitions: yesterday
              - name: late arrival
                arrival: { quiet_period: soon }
                catch_up: 3
              - name: shaky
                cron: "0 0 3 * * ?"
                retry: { attempts: 0, backoff: 2s }
                colour: blue
            """).ToString());

        var error = Should.Throw<CairnConfigurationException>(() => PipelineLoader.Load(file));

        error.Message.Split(Environment.NewLine).ShouldBe(
        [
            $"{file}:15: schedule 'both' needs exactly one of cron:, arrival: or after: (it has cron: and arrival:).",
            $"{file}:18: a schedule needs 'name: NAME'.",
            $"{file}:19: a schedule: partitions 'yesterday' is not one this cron schedule knows; write previous_hour, previous_day, previous_month, all, or a window such as 'last 7 days'.",
            $"{file}:20: schedule name 'late arrival' must be letters, digits, '_' or '-' (it appears in URLs and in schedule:NAME).",
            $"{file}:21: arrival.quiet_period 'soon' is not a duration; write e.g. 500ms, 30s, 5m or 1h.",
            $"{file}:20: schedule 'late arrival': catch_up applies to cron schedules only.",
            $"{file}:25: retry.attempts '0' must be a whole number from 1 to 100 (the first run counts).",
            $"{file}:25: a schedule's retry has no key 'backoff'; it knows attempts, delay, max_delay.",
            $"{file}:26: a schedule has no key 'colour'; it knows name, cron, arrival, after, time_zone, target, partitions, catch_up, retry.",
        ]);
    }

    [Theory]
    [InlineData("previous_day", "2026-03-29T00:30:00Z", "2026-03-28", "2026-03-28")]
    [InlineData("previous_day", "2026-03-28T23:30:00Z", "2026-03-28", "2026-03-28")]
    [InlineData("previous_hour", "2026-03-29T22:30:00Z", "2026-03-29", "2026-03-29")]
    [InlineData("previous_hour", "2026-03-29T22:10:00Z", "2026-03-29", "2026-03-29")]
    [InlineData("previous_month", "2026-03-01T06:00:00Z", "2026-02-01", "2026-02-28")]
    [InlineData("last 7 days", "2026-03-10T06:00:00Z", "2026-03-03", "2026-03-09")]
    public void A_fire_takes_the_partitions_of_its_window_in_the_schedule_s_time_zone(string window, string fire, string from, string to)
    {
        using var env = new TestEnvironment();
        var file = env.WriteFile("pipeline.yaml", ServiceHarness.CopyPipeline(extra: $"""
            schedules:
              - name: s
                cron: "0 30 2 * * ?"
                time_zone: Europe/Paris
                partitions: {window}
            """).ToString());
        var definition = PipelineLoader.Load(file);

        var range = PartitionWindows.For(definition.Schedules.Single(), definition.Partitions, DateTimeOffset.Parse(fire, System.Globalization.CultureInfo.InvariantCulture));

        range.ShouldBe(new PartitionRange(from, to));
    }

    [Theory]
    [InlineData("hour", "previous_hour", "2026-03-10T06:10:00Z", "2026-03-10T05", "2026-03-10T05")]
    [InlineData("hour", "previous_hour", "2026-03-10T00:10:00Z", "2026-03-09T23", "2026-03-09T23")]
    [InlineData("hour", "previous_day", "2026-03-10T06:10:00Z", "2026-03-09T00", "2026-03-09T23")]
    [InlineData("hour", "previous_month", "2026-03-01T06:00:00Z", "2026-02-01T00", "2026-02-28T23")]
    [InlineData("hour", "last 2 days", "2026-03-10T06:00:00Z", "2026-03-08T00", "2026-03-09T23")]
    [InlineData("month", "previous_month", "2026-03-01T06:00:00Z", "2026-02", "2026-02")]
    [InlineData("month", "previous_month", "2026-01-15T06:00:00Z", "2025-12", "2025-12")]
    [InlineData("none", "previous_day", "2026-03-10T06:00:00Z", null, null)]
    public void A_fire_takes_the_keys_of_the_pipeline_s_grain_that_cover_its_window(string grain, string window, string fire, string? from, string? to)
    {
        using var env = new TestEnvironment();
        var pipeline = grain == "none" ? PipelineYaml.Unpartitioned() : PipelineYaml.TwoStagesBy(grain, "selection").Then($"partitions:\n  key: {grain}\n  grain: {grain}\n");
        var file = env.WriteFile("pipeline.yaml", pipeline.Then($"""
            schedules:
              - name: s
                cron: "0 30 2 * * ?"
                partitions: {window}
            """).ToString());
        var definition = PipelineLoader.Load(file);

        var range = PartitionWindows.For(definition.Schedules.Single(), definition.Partitions, DateTimeOffset.Parse(fire, System.Globalization.CultureInfo.InvariantCulture));

        range.ShouldBe(new PartitionRange(from, to));
        range.Arguments().Count().ShouldBe(from is null ? 0 : from == to ? 1 : 2);
    }

    [Fact]
    public void A_window_finer_than_a_monthly_pipeline_s_partitions_is_refused_with_the_fix()
    {
        using var env = new TestEnvironment();
        var file = env.WriteFile("pipeline.yaml", PipelineYaml.TwoStagesBy("month", "selection").Then("partitions:\n  key: month\n  grain: month\n").Then("""
            schedules:
              - name: nightly
                cron: "0 30 2 * * ?"
                partitions: previous_day
              - name: weekly
                cron: "0 30 2 ? * MON"
                partitions: last 7 days
              - name: monthly
                cron: "0 30 2 1 * ?"
                partitions: previous_month
            """).ToString());
        var definition = PipelineLoader.Load(file);
        var problems = new List<string>();

        ScheduleChecks.Check(new ServedPipeline("test", file, definition, new Dictionary<string, IReadOnlyList<string>>(), [], env.Root, env.Root, new Dictionary<string, string>()), ["test"], problems);

        problems.ShouldBe(
        [
            $"{definition.Schedules[0].Source}: schedule 'nightly' takes partitions: previous_day, finer than this pipeline's partitions, which are months (partitions: grain: month); write previous_month or all, or declare partitions: grain: day.",
            $"{definition.Schedules[1].Source}: schedule 'weekly' takes partitions: last 7 days, finer than this pipeline's partitions, which are months (partitions: grain: month); write previous_month or all, or declare partitions: grain: day.",
        ]);
    }

    [Fact]
    public void An_upstream_run_s_range_is_the_same_time_at_another_pipeline_s_grain()
    {
        var days = PartitionScheme.Default;
        var hours = new PartitionScheme("hour", PartitionGrain.Hour, "*.csv");
        var months = new PartitionScheme("month", PartitionGrain.Month, "*.csv");

        new PartitionRange("2026-05-01", "2026-05-02").At(days, hours).ShouldBe(new PartitionRange("2026-05-01T00", "2026-05-02T23"));
        new PartitionRange("2026-05-01T22", "2026-05-02T03").At(hours, days).ShouldBe(new PartitionRange("2026-05-01", "2026-05-02"));
        PartitionRange.Key("2026-05-31").At(days, months).ShouldBe(PartitionRange.Key("2026-05"));
        PartitionRange.Key("2026-05-31").At(days, days with { Grain = PartitionGrain.None }).IsAll.ShouldBeTrue();
        new PartitionRange("2026-05-01T09", "2026-05-01T10").Union(PartitionRange.Key("2026-05-01T02"), hours).ShouldBe(new PartitionRange("2026-05-01T02", "2026-05-01T10"));

        // A run queued before the pipeline file changed its grain is not merged with one of the new grain.
        PartitionRange.Key("2026-05-01").Union(PartitionRange.Key("2026-05-01T02"), hours).ShouldBeNull();
    }

    [Fact]
    public void Ranges_merge_into_the_range_covering_both_and_all_covers_everything()
    {
        var days = PartitionScheme.Default;
        var may = new PartitionRange("2026-05-01", "2026-05-03");
        var june = PartitionRange.Key("2026-06-01");

        may.Union(june, days).ShouldBe(new PartitionRange("2026-05-01", "2026-06-01"));
        may.Union(PartitionRange.All, days)!.IsAll.ShouldBeTrue();
        may.Covers(PartitionRange.Key("2026-05-02"), days).ShouldBeTrue();
        may.Covers(june, days).ShouldBeFalse();
        june.Arguments().ShouldBe([KeyValuePair.Create("partition", "2026-06-01")]);
        may.Arguments().ShouldBe([KeyValuePair.Create("from", "2026-05-01"), KeyValuePair.Create("to", "2026-05-03")]);
    }
}
