using Cairn.Service.Store;
using Microsoft.Data.Sqlite;

namespace Cairn.Tests.Service;

/// <summary>What the service refuses at start, with the reason and exit code 2, before it listens or touches anything.</summary>
public sealed class StartupFaultTests
{
    [Fact]
    public void Schedules_that_cannot_be_used_are_refused_at_start_with_the_pipeline_file_and_line()
    {
        using var harness = new ServiceHarness();
        harness.WriteDay("2020-01-01");
        var file = harness.WritePipeline(ServiceHarness.CopyPipeline(extra: """
            schedules:
              - name: mars
                cron: "0 0 3 * * ?"
                time_zone: Mars/Olympus_Mons
              - name: nowhere
                cron: "0 0 3 * * ?"
                target: Publish
              - name: mars
                arrival: true
            """));

        var service = harness.Start(wait: false);

        service.WaitForExit().ShouldBe(2, service.Output);
        service.Output.ShouldContain($"{file}:17: time_zone 'Mars/Olympus_Mons' is not a time zone this machine knows; write an IANA id such as Europe/Paris or UTC.");
        service.Output.ShouldContain($"{file}:18: schedule 'nowhere' names target 'Publish', which is not a stage of this pipeline; the stages are Copy.");
        service.Output.ShouldContain($"{file}:21: a second schedule is named 'mars' (the first is at {file}:15); give each schedule its own name.");
        service.Output.ShouldNotContain("listening");
    }

    [Fact]
    public void A_cron_expression_Quartz_cannot_read_or_a_window_finer_than_the_partitions_is_refused_with_its_line()
    {
        using var harness = new ServiceHarness();
        harness.WriteDay("2020-01-01");
        var file = harness.WritePipeline(ServiceHarness.CopyPipeline(extra: """
            schedules:
              - name: typo
                cron: "0 61 * * * ?"
              - name: stranger
                after: { pipeline: billing }
              - name: hourly
                cron: "0 5 * * * ?"
                partitions: previous_hour
            """));

        var service = harness.Start(wait: false);

        service.WaitForExit().ShouldBe(2, service.Output);
        service.Output.ShouldContain($"{file}:15: schedule 'typo' cron '0 61 * * * ?' does not parse: ");
        service.Output.ShouldContain($"{file}:17: schedule 'stranger' runs after pipeline 'billing', which this service does not run; it runs test (add --pipeline=billing).");
        service.Output.ShouldContain($"{file}:19: schedule 'hourly' takes partitions: previous_hour, finer than this pipeline's partitions, which are days (partitions: grain: day); write previous_day, previous_month, 'last 7 days' or all, or declare partitions: grain: hour.");
    }

    [Fact]
    public void A_scheduler_database_from_a_newer_Cairn_is_refused_and_kept()
    {
        using var harness = new ServiceHarness();
        harness.WriteDay("2020-01-01");
        harness.WritePipeline(ServiceHarness.CopyPipeline());
        var database = Path.Combine(harness.Workspace, ".cairn", "scheduler.db");
        SchedulerDatabase.Migrate(database);
        Observability.Sql.Execute(database, "INSERT INTO cairn_schema (version, applied_at) VALUES (99, 'later')");
        var before = File.ReadAllBytes(database);

        var service = harness.Start(wait: false);

        service.WaitForExit().ShouldBe(2, service.Output);
        service.Output.ShouldContain($"{database} has scheduler schema version 99, newer than this Cairn knows ({SchedulerSchema.CurrentVersion}): a newer Cairn service wrote it. Run that Cairn, or move the file away to start with no queued runs and no schedule history.");
        File.ReadAllBytes(database).ShouldBe(before);
    }

    [Fact]
    public void A_damaged_scheduler_database_is_refused_and_never_reset()
    {
        using var harness = new ServiceHarness();
        harness.WriteDay("2020-01-01");
        harness.WritePipeline(ServiceHarness.CopyPipeline());
        var database = harness.Env.WriteBytes("work/.cairn/scheduler.db", [.. System.Text.Encoding.ASCII.GetBytes("not a database at all, just some bytes "), .. new byte[4096]]);

        var service = harness.Start(wait: false);

        service.WaitForExit().ShouldBe(2, service.Output);
        service.Output.ShouldContain($"{database} is damaged (");
        service.Output.ShouldContain($"Cairn will not reset it, since it holds the queued runs. Move it away (mv {database} {database}.damaged) to start with an empty queue, or restore it from a backup.");
        File.ReadAllText(database).ShouldStartWith("not a database at all");
    }

    [Fact]
    public void A_scheduler_database_another_process_keeps_locked_is_refused()
    {
        using var harness = new ServiceHarness();
        harness.WriteDay("2020-01-01");
        harness.WritePipeline(ServiceHarness.CopyPipeline());
        var database = Path.Combine(harness.Workspace, ".cairn", "scheduler.db");
        SchedulerDatabase.Migrate(database);
        using var holder = new SqliteConnection($"Data Source={database};Pooling=False");
        holder.Open();
        using var transaction = holder.BeginTransaction(System.Data.IsolationLevel.Serializable, deferred: false);
        using (var write = holder.CreateCommand())
        {
            write.Transaction = transaction;
            write.CommandText = "INSERT INTO cairn_paused_schedules (pipeline, name, paused_at) VALUES ('x', 'y', 'now')";
            write.ExecuteNonQuery();
        }

        var service = harness.Start(wait: false);

        service.WaitForExit().ShouldBe(2, service.Output);
        service.Output.ShouldContain($"{database} is locked by another process (SQLite: ");
        service.Output.ShouldContain("stop the other Cairn service or the program that holds it, then start again.");
    }

    [Fact]
    public void A_second_service_on_the_same_workspace_is_refused()
    {
        using var harness = new ServiceHarness();
        harness.WriteDay("2020-01-01");
        harness.WritePipeline(ServiceHarness.CopyPipeline());
        var first = harness.Start();

        var second = harness.Start(wait: false);

        second.WaitForExit().ShouldBe(2, second.Output);
        second.Output.ShouldContain($"Another Cairn service already serves {harness.Workspace}: pid {first.Id} on ");
        first.Stop().ShouldBe(0);
    }

    [Fact]
    public void Off_loopback_the_service_needs_a_token_and_every_request_without_it_gets_401()
    {
        using var harness = new ServiceHarness();
        harness.WriteDay("2020-01-01");
        harness.WritePipeline(ServiceHarness.CopyPipeline());

        var refused = harness.Start(extra: ["--urls=http://0.0.0.0:0"], wait: false);
        refused.WaitForExit().ShouldBe(2, refused.Output);
        refused.Output.ShouldContain("--urls=http://0.0.0.0:0 reaches beyond this machine: set CAIRN_SERVICE_TOKEN to the bearer token every request must carry, or listen on 127.0.0.1 only.");

        var service = harness.Start(extra: ["--urls=http://0.0.0.0:0"], environment: new Dictionary<string, string?> { ["CAIRN_SERVICE_TOKEN"] = "s3cret-t0ken" });
        foreach (var path in new[] { "/api/health", "/api/runs", "/metrics", "/", "/openapi.json" })
        {
            var (status, body, response) = harness.GetText(path);
            status.ShouldBe(401, path);
            response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
            body.ShouldContain("every request needs 'Authorization: Bearer <token>'");
        }

        harness.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "wrong");
        harness.GetText("/api/health").Status.ShouldBe(401);
        harness.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret-t0ken");
        harness.GetText("/api/health").Status.ShouldBe(200);
        harness.Post("/api/runs").Status.ShouldBe(202);
        service.Stop().ShouldBe(0);
    }
}
