using Cairn.Engine.Hosting;

namespace Cairn.Tests.Service;

/// <summary>The manual CLI and the service share the workspace's cells: one run at a time on a cell, whoever starts it, and nothing dropped.</summary>
public sealed class WorkspaceSharingTests
{
    [Fact]
    public void A_manual_run_is_refused_while_the_service_runs_and_a_service_run_waits_for_a_manual_one()
    {
        using var harness = new ServiceHarness();
        harness.WriteDay("2020-01-01");
        var file = harness.WritePipeline(ServiceHarness.CopyPipeline(fault: "slow", parameters: "Seconds=120"));
        var service = harness.Start();
        var (_, body, _) = harness.Post("/api/runs");
        var serviceRun = ServiceHarness.Text(body!["id"]);
        service.WaitForLine("Copy date=2020-01-01: run, first run");

        var refused = Should.Throw<CairnUsageException>(() => Manual(harness, file));
        refused.Message.ShouldStartWith($"Another run holds cells this run needs: 1 cell (Copy for date=2020-01-01), held by run {serviceRun} (pid {service.Id} on ");
        service.Stop().ShouldBe(0);

        // Now a manual run holds the workspace: a run asked of the service waits for it, then runs.
        harness.WritePipeline(ServiceHarness.CopyPipeline());
        using (var manual = Manual(harness, file))
        {
            var restarted = harness.Start();
            harness.Post("/api/runs", """{"force": true}""").Status.ShouldBe(202);
            var waits = restarted.WaitForLine($" of test waits: Another run holds cells this run needs: 1 cell (Copy for date=2020-01-01), held by run ");
            waits.ShouldContain($" (pid {Environment.ProcessId} on ");
            var waiting = waits.Split(" run ")[1].Split(' ')[0];
            ServiceHarness.Text(harness.Get($"/api/runs/{waiting}")["run"]!["status"]).ShouldBe("running");
            ServiceHarness.Text(harness.Get($"/api/runs/{waiting}")["run"]!["detail"]).ShouldContain($"again after run {serviceRun} was stopped with the service");
            manual.Finish(null).ShouldBe(0);
        }

        var again = harness.WaitForRun(r => ServiceHarness.Text(r["detail"]).Contains($"again after run {serviceRun} was stopped", StringComparison.Ordinal), what: "queued again after the stop");
        ServiceHarness.Text(harness.WaitForEnd(ServiceHarness.Text(again["id"]))["run"]!["status"]).ShouldBe("succeeded");
        var forced = harness.WaitForRun(r => ServiceHarness.Text(r["detail"]) == "POST /api/runs --force=true", what: "the forced run");
        ServiceHarness.Text(harness.WaitForEnd(ServiceHarness.Text(forced["id"]))["run"]!["status"]).ShouldBe("succeeded");
        harness.Service!.Stop().ShouldBe(0);
    }

    /// <summary>A manual run, as ./build.sh opens one, holding the workspace until disposed.</summary>
    private static CairnSession Manual(ServiceHarness harness, string file) => CairnSession.Open(
        harness.Root,
        file,
        "Copy",
        new Dictionary<string, IReadOnlyList<string>> { ["workspace"] = [harness.Workspace], ["raw"] = [harness.Raw], ["no-wait"] = ["true"] },
        new Dictionary<string, IReadOnlyList<string>> { ["Copy"] = [] },
        TextWriter.Null,
        [],
        new HostEnvironment(_ => null, false, TimeProvider.System));
}
