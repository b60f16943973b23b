namespace Cairn.Tests.Service;

/// <summary>
/// One service for the API's tests: three days of data, a far-off cron schedule, one run done before the tests read
/// it, and a gate: Copy fails with CAIRN9901 on the day <c>Copy.FailOn</c> names (none unless a run sets it), and
/// <c>review_on: [CAIRN9901]</c> stops it there for a person's review.
/// </summary>
public sealed class ApiFixture : IDisposable
{
    public ApiFixture()
    {
        Harness = new ServiceHarness();
        foreach (var day in new[] { "2020-01-01", "2020-01-02", "2020-01-03" })
        {
            Harness.WriteDay(day);
        }

        Harness.WritePipeline(ServiceHarness.CopyPipeline(fault: "error", parameters: "FailOn=none", reviewOn: ["CAIRN9901"], extra: """
            schedules:
              - name: nightly
                cron: "0 30 2 * * ?"
                time_zone: Europe/Paris
                partitions: previous_day
                catch_up: 3
            """));
        Harness.Start();
        var (status, body, _) = Harness.Post("/api/runs", "{}");
        status.ShouldBe(202);
        FirstRun = ServiceHarness.Text(body!["id"]);
        ServiceHarness.Text(Harness.WaitForEnd(FirstRun)["run"]!["status"]).ShouldBe("succeeded");
    }

    internal ServiceHarness Harness { get; }

    /// <summary>A run over every partition that succeeded.</summary>
    public string FirstRun { get; }

    public void Dispose() => Harness.Dispose();
}
