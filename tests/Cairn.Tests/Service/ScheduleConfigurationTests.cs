using Cairn.Engine.Configuration;
using Cairn.Service.Pipelines;
using Cairn.Service.Scheduling;
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
        var schedule = PipelineLoader.Load(file).Schedules.Single();

        var range = PartitionWindows.For(schedule, DateTimeOffset.Parse(fire, System.Globalization.CultureInfo.InvariantCulture));

        range.ShouldBe(new PartitionRange(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Ranges_merge_into_the_range_covering_both_and_all_covers_everything()
    {
        var may = new PartitionRange(new DateOnly(2026, 5, 1), new DateOnly(2026, 5, 3));
        var june = PartitionRange.Day(new DateOnly(2026, 6, 1));

        may.Union(june).ShouldBe(new PartitionRange(new DateOnly(2026, 5, 1), new DateOnly(2026, 6, 1)));
        may.Union(PartitionRange.All).IsAll.ShouldBeTrue();
        may.Covers(PartitionRange.Day(new DateOnly(2026, 5, 2))).ShouldBeTrue();
        may.Covers(june).ShouldBeFalse();
        june.Arguments().ShouldBe([KeyValuePair.Create("partition", "2026-06-01")]);
        may.Arguments().ShouldBe([KeyValuePair.Create("from", "2026-05-01"), KeyValuePair.Create("to", "2026-05-03")]);
    }
}
