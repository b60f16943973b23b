using Cairn.Engine.Observing;
using Cairn.Tests.CommandLine;
using Cairn.Tests.Engine;
using Cairn.Tests.Support;

namespace Cairn.Tests.Observability;

/// <summary>
/// Issue 10, smaller ones: a damaged run log (<c>.cairn/runs.db</c>) never fails History and Health for ever with
/// "SQLite Error 11" naming nothing, nor blocks a run. History and Health name the file and say what happens next;
/// the next run moves it aside, kept byte for byte for recovery, warns where it went and starts a new log.
/// </summary>
public sealed class DamagedRunLogTests
{
    [Theory]
    [InlineData("not a database")]
    [InlineData("malformed")]
    public void History_and_health_of_a_damaged_run_log_name_the_file_and_the_way_out(string damage)
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.Run().ShouldSucceed();
        Damage(Inspection.RunLog(h), damage);

        foreach (var command in new Action<CairnSession>[] { s => s.History(), s => s.Health() })
        {
            var error = Should.Throw<RunLogDamagedException>(() => Inspection.Run(h, command));

            error.Message.ShouldStartWith("The run log ws/.cairn/runs.db is damaged (SQLite Error ");
            error.Message.ShouldEndWith(") and cannot be read. The next run keeps it as ws/.cairn/runs.db.damaged-<time> for recovery and starts a new run log.");
        }
    }

    [Theory]
    [InlineData("not a database")]
    [InlineData("malformed")]
    public void The_next_run_moves_a_damaged_run_log_aside_with_a_warning_and_records_itself_in_a_new_one(string damage)
    {
        using var h = EngineHarness.TwoStages("2013-05-01");
        h.Run().ShouldSucceed();
        var log = Inspection.RunLog(h);
        Damage(log, damage);
        var damaged = File.ReadAllBytes(log);

        var run = h.Run("--force").ShouldSucceed();

        var aside = Directory.GetFiles(h.WorkspaceFile(".cairn"), "runs.db.damaged-*").Where(f => !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal)).ShouldHaveSingleItem();
        File.ReadAllBytes(aside).ShouldBe(damaged, "the damaged log is kept as it was, for recovery");
        run.Lines.ShouldContain(l => l.StartsWith($"warning: the run log {log} is damaged (SQLite Error ", StringComparison.Ordinal) && l.EndsWith($"; it is kept as {aside} for recovery, and a new run log starts with this run", StringComparison.Ordinal), run.Output);
        var history = Inspection.Run(h, s => s.History());
        history.ShouldStartWith("Last 1 run in ws/.cairn/runs.db, newest first:");
        h.Run().ShouldSucceed().Output.ShouldNotContain("warning:");
    }

    /// <summary>"not a database": the header overwritten (SQLite 26). "malformed": the schema page's cells overwritten, the header intact (SQLite 11).</summary>
    private static void Damage(string database, string how)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var file = new FileStream(database, FileMode.Open, FileAccess.Write);
        var garbage = Enumerable.Repeat((byte)0x5A, 3000).ToArray();
        file.Position = how == "malformed" ? 100 : 0;
        file.Write(garbage);
    }
}
