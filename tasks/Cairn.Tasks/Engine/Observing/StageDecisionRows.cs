using System.Globalization;
using System.Text;
using System.Text.Json;
using Cairn.Engine.Scan;
using Cairn.Hashing;
using Microsoft.Data.Sqlite;

namespace Cairn.Engine.Observing;

/// <summary>
/// A stage's decided cells as the run log keeps them: one <c>stage_run_log</c> row (cells decided, cells skipped, the
/// set of partitions decided), a row in <c>cell_run_log</c> only for a cell that runs. The partitions travel as a
/// JSON array stored once per distinct set (by digest), so a no-op adds a few rows per stage, not one per cell.
/// </summary>
internal sealed class StageDecisionRows
{
    private readonly string _runId;
    private readonly string _stage;
    private readonly int _cells;
    private readonly int _skipped;
    private readonly string _digest;

    // The two JSON texts as UTF-8, packed (ReplayPack) once written: the run log keeps every write of the run to its
    // end, and a first run at 40,000 partitions decides three stages of 40,000 cells (6 MB of text each as strings).
    private byte[] _partitions;
    private byte[] _runCells;
    private bool _packed;

    private StageDecisionRows(string runId, string stage, int cells, int skipped, byte[] partitions, byte[] runCells)
    {
        _runId = runId;
        _stage = stage;
        _cells = cells;
        _skipped = skipped;
        _partitions = partitions;
        _digest = ContentHasher.HashBytes(partitions).ToString();
        _runCells = runCells;
    }

    public static StageDecisionRows Of(string runId, string stage, IReadOnlyList<CellDecision> decisions)
    {
        var skipped = 0;
        using var partitions = new MemoryStream(decisions.Count * 16);
        using var running = new MemoryStream();
        using (var set = new Utf8JsonWriter(partitions))
        using (var cells = new Utf8JsonWriter(running))
        {
            set.WriteStartArray();
            cells.WriteStartArray();
            foreach (var cell in decisions)
            {
                set.WriteStringValue(cell.Cell.Partition ?? string.Empty);
                if (!cell.Decision.Run)
                {
                    skipped++;
                    continue;
                }

                cells.WriteStartArray();
                cells.WriteStringValue(cell.Cell.Partition ?? string.Empty);
                cells.WriteStringValue(cell.Decision.Reason);
                cells.WriteStringValue(cell.Fingerprint);
                cells.WriteEndArray();
            }

            set.WriteEndArray();
            cells.WriteEndArray();
        }

        return new StageDecisionRows(runId, stage, decisions.Count, skipped, partitions.ToArray(), running.ToArray());
    }

    /// <summary>Writes the stage's rows in one transaction.</summary>
    public void Write(SqliteConnection connection)
    {
        var partitions = _packed ? ReplayPack.Unpack(_partitions) : _partitions;
        var runCells = _packed ? ReplayPack.Unpack(_runCells) : _runCells;
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id FROM partition_set WHERE digest = $digest";
        command.Parameters.AddWithValue("$digest", _digest);
        var set = command.ExecuteScalar();
        if (set is null)
        {
            command.CommandText = "INSERT INTO partition_set (digest, partitions) VALUES ($digest, $partitions) RETURNING id";
            command.Parameters.AddWithValue("$partitions", Encoding.UTF8.GetString(partitions));
            set = command.ExecuteScalar();
        }

        command.Parameters.Clear();
        command.CommandText = """
            INSERT OR REPLACE INTO stage_run_log (run_id, stage, cells, skipped, partition_set) VALUES ($run, $stage, $cells, $skipped, $set);
            INSERT OR REPLACE INTO cell_run_log (run_id, stage, partition, attempt, decision, reason, status, fingerprint)
            SELECT $run, $stage, value ->> 0, 1, 'run', value ->> 1, 'pending', value ->> 2 FROM json_each($runCells);
            """;
        command.Parameters.AddWithValue("$run", _runId);
        command.Parameters.AddWithValue("$stage", _stage);
        command.Parameters.AddWithValue("$cells", _cells);
        command.Parameters.AddWithValue("$skipped", _skipped);
        command.Parameters.AddWithValue("$set", Convert.ToInt64(set, CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$runCells", Encoding.UTF8.GetString(runCells));
        command.ExecuteNonQuery();
        transaction.Commit();
        if (!_packed)
        {
            _partitions = ReplayPack.Pack(_partitions);
            _runCells = ReplayPack.Pack(_runCells);
            _packed = true;
        }
    }
}
