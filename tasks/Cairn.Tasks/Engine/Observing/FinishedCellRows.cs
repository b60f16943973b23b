using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Cairn.Engine.Observing;

/// <summary>
/// A batch of finished cells, written to the run log in one transaction; a retried attempt becomes a row of its own.
/// The run log keeps every batch it wrote until the run ends (a log found damaged mid-run is started anew with the
/// run's rows from the start), so once written a batch keeps its rows' values (<see cref="FinishedCellRow"/>) and lets
/// go of the cells: at 40,000 partitions the cells and their dictionaries of metrics were tens of megabytes held to the end.
/// Once committed, the rows are kept packed (<see cref="ReplayPack"/>) and unpacked only to be written again: the values
/// of 120,000 rows and their fingerprints were 30 MB held to the end of a first run at 40,000 partitions.
/// </summary>
internal sealed class FinishedCellRows
{
    private CellFinished[]? _cells;
    private FinishedCellRow[]? _rows;
    private byte[]? _packed;

    public FinishedCellRows(IEnumerable<CellFinished> cells) => _cells = [.. cells];

    /// <summary>Writes the batch; called on the run log's own thread only, again after the log was started anew.</summary>
    public void Write(SqliteConnection connection)
    {
        var rows = _rows ??= _packed is not null ? Unpack(_packed) : ToRows(_cells!);
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
        foreach (var row in rows)
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
        _packed ??= Pack(rows);
        _rows = null;
    }

    private static byte[] Pack(FinishedCellRow[] rows)
    {
        using var bytes = new MemoryStream(rows.Length * 256);
        using (var writer = new BinaryWriter(bytes, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(rows.Length);
            foreach (var row in rows)
            {
                writer.Write(row.RunId);
                writer.Write(row.Stage);
                writer.Write(row.Partition);
                writer.Write(row.Attempt);
                writer.Write(row.Reason);
                writer.Write(row.Status);
                Write(writer, row.StartedAt);
                Write(writer, row.FinishedAt);
                Write(writer, row.RowsIn);
                Write(writer, row.RowsOut);
                Write(writer, row.RowsQuarantined);
                writer.Write(row.Metrics);
                writer.Write(row.Fingerprint);
                Write(writer, row.ContractVersion);
                Write(writer, row.RestoredFrom);
                writer.Write(row.TaskMs);
            }
        }

        return ReplayPack.Pack(bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
    }

    private static FinishedCellRow[] Unpack(byte[] packed)
    {
        using var reader = new BinaryReader(new MemoryStream(ReplayPack.Unpack(packed), writable: false), Encoding.UTF8);
        var rows = new FinishedCellRow[reader.ReadInt32()];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new FinishedCellRow(
                reader.ReadString(),
                reader.ReadString(),
                reader.ReadString(),
                reader.ReadInt32(),
                reader.ReadString(),
                reader.ReadString(),
                ReadTime(reader),
                ReadTime(reader),
                ReadLong(reader),
                ReadLong(reader),
                ReadLong(reader),
                reader.ReadString(),
                reader.ReadString(),
                ReadString(reader),
                ReadString(reader),
                reader.ReadDouble());
        }

        return rows;
    }

    private static void Write(BinaryWriter writer, DateTimeOffset time)
    {
        writer.Write(time.Ticks);
        writer.Write(time.Offset.Ticks);
    }

    private static void Write(BinaryWriter writer, long? value)
    {
        writer.Write(value.HasValue);
        writer.Write(value.GetValueOrDefault());
    }

    private static void Write(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        writer.Write(value ?? string.Empty);
    }

    private static DateTimeOffset ReadTime(BinaryReader reader) => new(reader.ReadInt64(), TimeSpan.FromTicks(reader.ReadInt64()));

    private static long? ReadLong(BinaryReader reader)
    {
        var has = reader.ReadBoolean();
        var value = reader.ReadInt64();
        return has ? value : null;
    }

    private static string? ReadString(BinaryReader reader)
    {
        var has = reader.ReadBoolean();
        var value = reader.ReadString();
        return has ? value : null;
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
