using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Cairn.Engine.Observing;

/// <summary>
/// A batch of finished cells, written to the run log in one transaction; a retried attempt becomes a row of its own.
/// The run log keeps every batch it wrote until the run ends (a log found damaged mid-run is started anew with the
/// run's rows from the start), so once written a batch keeps its rows' values (<see cref="FinishedCellRow"/>) and lets
/// go of the cells: at 40,000 partitions the cells and their dictionaries of metrics were tens of megabytes held to the end.
/// </summary>
internal sealed class FinishedCellRows
{
    private CellFinished[]? _cells;
    private FinishedCellRow[]? _rows;

    public FinishedCellRows(IEnumerable<CellFinished> cells) => _cells = [.. cells];

    /// <summary>Writes the batch; called on the run log's own thread only, again after the log was started anew.</summary>
    public void Write(SqliteConnection connection)
    {
        _rows ??= ToRows(_cells!);
        _cells = null;
        using var transaction = connection.BeginTransaction(deferred: false);
        using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = """
            INSERT INTO cell_run_log
                (run_id, stage, partition, attempt, decision, reason, status, started_at, finished_at, duration_ms,
                 rows_in, rows_out, rows_quarantined, metrics, fingerprint, contract_version, restored_from, task_ms)
            VALUES ($run, $stage, $partition, $attempt, 'run', $reason, $status, $started, $finished, $duration,
                    $rowsIn, $rowsOut, $rowsQuarantined, $metrics, $fingerprint, $contract, $restored, $task)
            ON CONFLICT (run_id, stage, partition, attempt) DO UPDATE SET
                status = excluded.status, started_at = excluded.started_at, finished_at = excluded.finished_at,
                duration_ms = excluded.duration_ms, rows_in = excluded.rows_in, rows_out = excluded.rows_out,
                rows_quarantined = excluded.rows_quarantined, metrics = excluded.metrics,
                contract_version = excluded.contract_version, restored_from = excluded.restored_from,
                task_ms = excluded.task_ms
            """;
        foreach (var row in _rows)
        {
            upsert.Parameters.Clear();
            upsert.Parameters.AddWithValue("$run", row.RunId);
            upsert.Parameters.AddWithValue("$stage", row.Stage);
            upsert.Parameters.AddWithValue("$partition", row.Partition);
            upsert.Parameters.AddWithValue("$attempt", row.Attempt);
            upsert.Parameters.AddWithValue("$reason", row.Reason);
            upsert.Parameters.AddWithValue("$status", row.Status);
            upsert.Parameters.AddWithValue("$started", RunLogTime.Format(row.StartedAt));
            upsert.Parameters.AddWithValue("$finished", RunLogTime.Format(row.FinishedAt));
            upsert.Parameters.AddWithValue("$duration", Math.Round((row.FinishedAt - row.StartedAt).TotalMilliseconds, 3));
            upsert.Parameters.AddWithValue("$rowsIn", (object?)row.RowsIn ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$rowsOut", (object?)row.RowsOut ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$rowsQuarantined", (object?)row.RowsQuarantined ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$metrics", row.Metrics);
            upsert.Parameters.AddWithValue("$fingerprint", row.Fingerprint);
            upsert.Parameters.AddWithValue("$contract", (object?)row.ContractVersion ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$restored", (object?)row.RestoredFrom ?? DBNull.Value);
            upsert.Parameters.AddWithValue("$task", Math.Round(row.TaskMs, 3));
            upsert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static FinishedCellRow[] ToRows(CellFinished[] cells)
    {
        var rows = new FinishedCellRow[cells.Length];
        string? contract = null;
        var metrics = string.Empty;
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = cells[i];
            // Every cell of a stage carries its own copy of the same contract version, and days of one shape report the
            // same metrics: a row shares its neighbour's string when the text is the same.
            contract = string.Equals(cell.ContractVersion, contract, StringComparison.Ordinal) ? contract : cell.ContractVersion;
            var json = JsonSerializer.Serialize(cell.Metrics, RunLogJsonContext.Default.IReadOnlyDictionaryStringDouble);
            metrics = string.Equals(json, metrics, StringComparison.Ordinal) ? metrics : json;
            rows[i] = new FinishedCellRow(
                cell.RunId,
                cell.Stage,
                cell.Partition ?? string.Empty,
                cell.Attempt,
                cell.Reason,
                cell.Succeeded ? "succeeded" : cell.Held ? "held" : "failed",
                cell.StartedAt,
                cell.FinishedAt,
                Rows(cell.Metrics, "RowsIn", "Rows"),
                Rows(cell.Metrics, "RowsOut"),
                Rows(cell.Metrics, "RowsQuarantined"),
                metrics,
                cell.Fingerprint,
                contract,
                cell.RestoredFrom,
                cell.TaskTime.TotalMilliseconds);
        }

        return rows;
    }

    /// <summary>The first of the named metrics the cell reported, as a row count; null when it reported none of them.</summary>
    private static long? Rows(IReadOnlyDictionary<string, double> metrics, params string[] names)
    {
        foreach (var name in names)
        {
            if (metrics.TryGetValue(name, out var value))
            {
                return (long)Math.Round(value);
            }
        }

        return null;
    }
}
