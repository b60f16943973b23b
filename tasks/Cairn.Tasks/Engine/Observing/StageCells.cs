namespace Cairn.Engine.Observing;

/// <summary>
/// A run's cells rebuilt from what it logged per stage: the stage's partitions in the order decided, each with its
/// rows (every attempt of a cell that ran) or, without one, a skipped cell (a skip is only ever "up to date").
/// </summary>
internal static class StageCells
{
    public static List<CellRecord> Merge(IReadOnlyList<(string Stage, List<string> Partitions)> stages, IReadOnlyList<CellRecord> rows)
    {
        var byCell = new Dictionary<(string Stage, string Partition), List<CellRecord>>();
        foreach (var row in rows)
        {
            var key = (row.Stage, row.Partition ?? string.Empty);
            (byCell.TryGetValue(key, out var attempts) ? attempts : byCell[key] = []).Add(row);
        }

        var cells = new List<CellRecord>(rows.Count + stages.Sum(s => s.Partitions.Count));
        foreach (var (stage, partitions) in stages)
        {
            foreach (var partition in partitions)
            {
                if (byCell.Remove((stage, partition), out var attempts))
                {
                    cells.AddRange(attempts.OrderBy(a => a.Attempt));
                }
                else
                {
                    cells.Add(new CellRecord(stage, partition.Length > 0 ? partition : null, 1, "skip", "up to date", "skipped", null, null, null, null, null, null, null, null));
                }
            }
        }

        // A row the sets do not name (written by hand, or by a run that logged both ways) is kept, after the rest.
        cells.AddRange(rows.Where(r => byCell.ContainsKey((r.Stage, r.Partition ?? string.Empty))));
        return cells;
    }
}
