using Cairn.Engine.Observing;
using Cairn.Engine.Plan;
using Cairn.Engine.Scan;
using Cairn.Tests.Support;

namespace Cairn.Tests.Observability;

/// <summary>
/// The run log keeps every write of the run, packed once written, to write it again into a new log when it finds the
/// old one damaged mid-run: written again, a stage's decision and a batch of finished cells give the same rows.
/// </summary>
public sealed class RunLogReplayTests
{
    [Theory]
    [InlineData(300)]
    [InlineData(6000)]
    public void A_packed_decision_and_batch_of_finished_cells_write_the_same_rows_again(int count)
    {
        using var env = new TestEnvironment();
        var started = new DateTimeOffset(2026, 12, 4, 15, 27, 59, 913, TimeSpan.FromHours(1)).AddTicks(9977);
        var cells = Enumerable.Range(0, count).Select(i => new CellFinished(
            "run-1", "Clean", i == 7 ? null : $"2012-01-{i:D3}", 1 + (i % 2), i % 5 != 0, i % 5 == 0 ? "boom" : null, "first run", $"{i:x32}",
            started.AddSeconds(i), started.AddSeconds(i).AddTicks(12_345), new Dictionary<string, double> { ["RowsIn"] = i, ["Auc"] = 0.5 + (i / 1000.0) })
        {
            ContractVersion = i % 3 == 0 ? null : "8e65a6b20fccea959047c1f6ceced0d6",
            RestoredFrom = i == 9 ? "https://cache.example/é" : null,
            TaskTime = TimeSpan.FromTicks(i * 7919),
            Held = i == 11,
        }).ToList();
        var decisions = Enumerable.Range(0, count).Select(i => new CellDecision(
            new CellBinding("Clean", $"2012-01-{i:D3}", [], [], new Dictionary<string, object>(), new Dictionary<string, string>()),
            $"{i:x32}", [], null, i % 4 == 0 ? Decision.UpToDate : Decision.Of([Cause.FirstRun]))).ToList();
        var batch = new FinishedCellRows(cells);
        var decided = StageDecisionRows.Of("run-1", "Clean", decisions);
        var first = env.PathOf("first.db");
        var again = env.PathOf("again.db");

        foreach (var database in new[] { first, again })
        {
            using var connection = RunLogDatabase.Open(database);
            decided.Write(connection);
            batch.Write(connection);
        }

        foreach (var table in new[] { "cell_run_log", "stage_run_log", "partition_set" })
        {
            var rows = Sql.Query(first, $"SELECT * FROM {table} ORDER BY 1, 2, 3");
            rows.Count.ShouldBeGreaterThan(0, table);
            Sql.Query(again, $"SELECT * FROM {table} ORDER BY 1, 2, 3").ShouldBe(rows, table);
        }

        Sql.Query(first, "SELECT COUNT(*) AS n FROM cell_run_log WHERE decision = 'run' AND started_at IS NOT NULL")[0]["n"].ShouldBe((long)count);
    }

    [Fact]
    public void Fewer_bytes_than_the_threshold_are_kept_as_they_are_and_more_are_compressed_and_both_come_back_whole()
    {
        var small = System.Text.Encoding.UTF8.GetBytes(string.Join(",", Enumerable.Range(0, 100).Select(i => $"2013-01-{i:D3}")));
        var large = System.Text.Encoding.UTF8.GetBytes(string.Join(",", Enumerable.Range(0, 40_000).Select(i => $"2013-01-{i:D5}")));
        large.Length.ShouldBeGreaterThanOrEqualTo(ReplayPack.CompressFrom);

        var keptSmall = ReplayPack.Pack(small);
        var keptLarge = ReplayPack.Pack(large);

        ReplayPack.IsCompressed(keptSmall).ShouldBeFalse("compressing a few kilobytes costs Brotli's code and state, more than it saves");
        ReplayPack.IsCompressed(keptLarge).ShouldBeTrue();
        keptLarge.Length.ShouldBeLessThan(large.Length / 4);
        ReplayPack.Unpack(keptSmall).ShouldBe(small);
        ReplayPack.Unpack(keptLarge).ShouldBe(large);
        ReplayPack.Unpack(ReplayPack.Pack([])).ShouldBeEmpty();
    }
}
